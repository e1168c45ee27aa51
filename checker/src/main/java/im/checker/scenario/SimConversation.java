package im.checker.scenario;

import java.util.List;

/**
 * A conversation the scenario runs: a 1:1 chat of two partners ({@code groupId} 0) or a group
 * whose members are fixed for the whole run. Every device of every member is expected to hold
 * every message of it.
 *
 * @param id the conversation id ({@code p:{low}:{high}} or {@code g:{groupId}})
 * @param groupId the group's id, 0 for a private chat
 * @param members its users; the first reads the store for the audit (a group's owner)
 */
record SimConversation(String id, long groupId, List<SimUser> members) {

    SimConversation {
        members = List.copyOf(members);
    }

    boolean isGroup() {
        return groupId != 0;
    }
}
