package im.client.sdk;

/**
 * Answer of a change to a group: {@code seq} is the system message that records it in the group's
 * conversation (its {@code Message.group_event}), 0 when the call changed nothing (the users were
 * members already, the role was already that one, ...).
 */
public record GroupChange(long groupId, long seq) {

    public boolean changed() {
        return seq > 0;
    }
}
