package im.router.group;

import im.common.grpc.GrpcErrors;
import im.protocol.client.ErrorCode;
import im.protocol.client.GroupEvent;
import im.protocol.client.GroupRole;
import im.protocol.client.JoinPolicy;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a change does to a group, and who may make it: owner everything; admins add, remove and
 * mute members (not admins or the owner), rename and mute the group; members send, leave, and add
 * members where the group lets them. Pure: the change batch runs it on the roster it read under
 * the conversation's row lock.
 */
public final class GroupRules {

    /**
     * A change judged: the roster after it, the event its system message records (null: nothing in
     * the timeline), the former members told of it, and the join requests it makes ({@code asks})
     * or settles ({@code settled}).
     */
    public record Outcome(GroupRoster after, GroupEvent event, Set<Long> formerMembers, Set<Long> asks,
            Set<Long> settled) {
        Outcome(GroupRoster after, GroupEvent event, Set<Long> formerMembers) {
            this(after, event, formerMembers, Set.of(), Set.of());
        }

        static Outcome unchanged(GroupRoster roster) {
            return new Outcome(roster, null, Set.of());
        }

        /** The actor's request to join waits for approval (asked now, or before). */
        static Outcome asking(GroupRoster roster, long actorId) {
            return new Outcome(roster, null, Set.of(), Set.of(actorId), Set.of());
        }

        Outcome settling(Set<Long> requests) {
            return new Outcome(after, event, formerMembers, asks, requests);
        }

        public boolean changed() {
            return event != null;
        }

        /** A join request waits for approval. */
        public boolean pending() {
            return !asks.isEmpty();
        }
    }

    private final int maxMembers;

    public GroupRules(int maxMembers) {
        this.maxMembers = maxMembers;
    }

    /**
     * The change made by {@code actorId} on {@code roster} (null: no such group yet), its system
     * message to take seq {@code seq}; {@code asking} are those of the users it concerns who have
     * asked to join.
     *
     * @throws StatusRuntimeException UNKNOWN_CONVERSATION when the actor is not in the group (and
     *     it is not an open group it joins), PERMISSION_DENIED with the reason, INVALID_ARGUMENT
     */
    public Outcome apply(String conversationId, GroupRoster roster, long actorId, GroupChange change, long seq,
            long nowMs, Set<Long> asking) {
        if (change instanceof GroupChange.Create create) {
            return create(conversationId, roster, actorId, create, seq, nowMs);
        }
        if (roster == null) {
            throw noSuchGroup();
        }
        if (change instanceof GroupChange.Join) {
            return join(roster, actorId, seq, asking);
        }
        GroupRoster.Member actor = roster.member(actorId);
        if (actor == null) {
            throw noSuchGroup();
        }
        if (roster.settings().dissolved()) {
            throw denied("the group is dissolved");
        }
        Map<Long, GroupRoster.Member> members = new LinkedHashMap<>(roster.members());
        GroupRoster.Settings settings = roster.settings();
        if (change instanceof GroupChange.AddMembers add) {
            boolean membersInvite = settings.joinPolicy() == JoinPolicy.MEMBERS_INVITE
                    || settings.joinPolicy() == JoinPolicy.OPEN;
            if (!actor.atLeast(GroupRole.ADMIN) && !membersInvite) {
                throw denied("only the owner and admins add members to this group");
            }
            List<Long> added = add(members, add.userIds(), seq);
            return (added.isEmpty() ? Outcome.unchanged(roster)
                    : changed(roster, settings, members, seq, event(GroupEvent.Kind.JOINED, added), Set.of()))
                    .settling(asking);
        }
        if (change instanceof GroupChange.ApproveJoin approve) {
            requireAtLeast(actor, GroupRole.ADMIN, "only the owner and admins approve requests to join");
            List<Long> added = add(members, approve.userIds().stream().filter(asking::contains).toList(), seq);
            return (added.isEmpty() ? Outcome.unchanged(roster)
                    : changed(roster, settings, members, seq, event(GroupEvent.Kind.JOINED, added), Set.of()))
                    .settling(asking);
        }
        if (change instanceof GroupChange.RejectJoin) {
            requireAtLeast(actor, GroupRole.ADMIN, "only the owner and admins reject requests to join");
            return Outcome.unchanged(roster).settling(asking);
        }
        if (change instanceof GroupChange.Leave leave) {
            if (actor.role() == GroupRole.OWNER) {
                throw denied("the owner cannot leave: transfer ownership first, or dissolve the group");
            }
            members.remove(actorId);
            return changed(roster, settings, members, seq, event(GroupEvent.Kind.LEFT, List.of()),
                    Set.of(actorId));
        }
        if (change instanceof GroupChange.RemoveMembers remove) {
            requireAtLeast(actor, GroupRole.ADMIN, "only the owner and admins remove members");
            List<Long> removed = new ArrayList<>();
            for (long userId : distinct(remove.userIds())) {
                if (userId == actorId) {
                    throw invalid("to leave a group, leave it");
                }
                GroupRoster.Member target = members.get(userId);
                if (target == null) {
                    continue;
                }
                requireOutranks(actor, target, "remove");
                members.remove(userId);
                removed.add(userId);
            }
            return removed.isEmpty() ? Outcome.unchanged(roster)
                    : changed(roster, settings, members, seq, event(GroupEvent.Kind.REMOVED, removed),
                            Set.copyOf(removed));
        }
        if (change instanceof GroupChange.SetRole setRole) {
            requireAtLeast(actor, GroupRole.OWNER, "only the owner changes roles");
            if (setRole.role() != GroupRole.ADMIN && setRole.role() != GroupRole.MEMBER) {
                throw invalid("role must be ADMIN or MEMBER");
            }
            List<Long> changed = new ArrayList<>();
            for (long userId : distinct(setRole.userIds())) {
                GroupRoster.Member target = requireMember(members, userId);
                if (target.role() == GroupRole.OWNER) {
                    throw invalid("the owner's role changes by a transfer of ownership");
                }
                if (target.role() != setRole.role()) {
                    members.put(userId, new GroupRoster.Member(setRole.role(), target.muted(), target.joinedSeq()));
                    changed.add(userId);
                }
            }
            return changed.isEmpty() ? Outcome.unchanged(roster)
                    : changed(roster, settings, members, seq,
                            event(GroupEvent.Kind.ROLE_CHANGED, changed).setRole(setRole.role()), Set.of());
        }
        if (change instanceof GroupChange.TransferOwnership transfer) {
            requireAtLeast(actor, GroupRole.OWNER, "only the owner transfers ownership");
            if (transfer.newOwnerId() == actorId) {
                return Outcome.unchanged(roster);
            }
            GroupRoster.Member next = requireMember(members, transfer.newOwnerId());
            members.put(transfer.newOwnerId(), new GroupRoster.Member(GroupRole.OWNER, false, next.joinedSeq()));
            members.put(actorId, new GroupRoster.Member(GroupRole.ADMIN, actor.muted(), actor.joinedSeq()));
            GroupRoster.Settings moved = new GroupRoster.Settings(settings.name(), transfer.newOwnerId(),
                    settings.joinPolicy(), settings.muted(), false, settings.createdAtMs());
            return changed(roster, moved, members, seq,
                    event(GroupEvent.Kind.OWNER_CHANGED, List.of(transfer.newOwnerId())), Set.of());
        }
        if (change instanceof GroupChange.SetMembersMuted mute) {
            requireAtLeast(actor, GroupRole.ADMIN, "only the owner and admins mute members");
            List<Long> changed = new ArrayList<>();
            for (long userId : distinct(mute.userIds())) {
                GroupRoster.Member target = requireMember(members, userId);
                requireOutranks(actor, target, "mute");
                if (target.muted() != mute.muted()) {
                    members.put(userId, new GroupRoster.Member(target.role(), mute.muted(), target.joinedSeq()));
                    changed.add(userId);
                }
            }
            return changed.isEmpty() ? Outcome.unchanged(roster)
                    : changed(roster, settings, members, seq,
                            event(GroupEvent.Kind.MEMBERS_MUTED, changed).setMuted(mute.muted()), Set.of());
        }
        if (change instanceof GroupChange.SetGroupMuted mute) {
            requireAtLeast(actor, GroupRole.ADMIN, "only the owner and admins mute the group");
            if (settings.muted() == mute.muted()) {
                return Outcome.unchanged(roster);
            }
            return changed(roster, new GroupRoster.Settings(settings.name(), settings.ownerId(),
                    settings.joinPolicy(), mute.muted(), false, settings.createdAtMs()), members, seq,
                    event(GroupEvent.Kind.GROUP_MUTED, List.of()).setMuted(mute.muted()), Set.of());
        }
        if (change instanceof GroupChange.Rename rename) {
            requireAtLeast(actor, GroupRole.ADMIN, "only the owner and admins rename the group");
            String name = GroupNames.require(rename.name());
            if (settings.name().equals(name)) {
                return Outcome.unchanged(roster);
            }
            return changed(roster, new GroupRoster.Settings(name, settings.ownerId(), settings.joinPolicy(),
                    settings.muted(), false, settings.createdAtMs()), members, seq,
                    event(GroupEvent.Kind.RENAMED, List.of()).setName(name), Set.of());
        }
        if (change instanceof GroupChange.Dissolve dissolve) {
            requireAtLeast(actor, GroupRole.OWNER, "only the owner dissolves the group");
            return changed(roster, new GroupRoster.Settings(settings.name(), settings.ownerId(),
                    settings.joinPolicy(), settings.muted(), true, settings.createdAtMs()), members, seq,
                    event(GroupEvent.Kind.DISSOLVED, List.of()), Set.of());
        }
        throw new IllegalStateException("unknown change " + change);
    }

    private Outcome create(String conversationId, GroupRoster existing, long actorId, GroupChange.Create create,
            long seq, long nowMs) {
        if (existing != null) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "the group exists already");
        }
        String name = GroupNames.require(create.name());
        JoinPolicy policy = create.joinPolicy() == JoinPolicy.JOIN_POLICY_UNSPECIFIED
                || create.joinPolicy() == JoinPolicy.UNRECOGNIZED ? JoinPolicy.ADMINS_INVITE : create.joinPolicy();
        Map<Long, GroupRoster.Member> members = new LinkedHashMap<>();
        members.put(actorId, new GroupRoster.Member(GroupRole.OWNER, false, seq));
        List<Long> added = add(members, create.memberIds(), seq);
        GroupRoster.Settings settings = new GroupRoster.Settings(name, actorId, policy, false, false, nowMs);
        GroupEvent.Builder event = event(GroupEvent.Kind.CREATED, added).setName(name);
        return new Outcome(new GroupRoster(conversationId, settings, members, seq), event.build(), Set.of());
    }

    private Outcome join(GroupRoster roster, long actorId, long seq, Set<Long> asking) {
        if (roster.member(actorId) != null) {
            return Outcome.unchanged(roster);
        }
        JoinPolicy policy = roster.settings().joinPolicy();
        if (policy != JoinPolicy.OPEN && policy != JoinPolicy.APPROVAL) {
            // A group one may not join looks like no group: its id reveals nothing.
            throw noSuchGroup();
        }
        if (roster.settings().dissolved()) {
            throw denied("the group is dissolved");
        }
        if (policy == JoinPolicy.APPROVAL) {
            return Outcome.asking(roster, actorId);
        }
        Map<Long, GroupRoster.Member> members = new LinkedHashMap<>(roster.members());
        add(members, List.of(actorId), seq);
        return changed(roster, roster.settings(), members, seq, event(GroupEvent.Kind.JOINED, List.of(actorId)),
                Set.of());
    }

    /** Adds the users not in yet, answering them in order; refuses past the size limit. */
    private List<Long> add(Map<Long, GroupRoster.Member> members, List<Long> userIds, long seq) {
        List<Long> added = new ArrayList<>();
        for (long userId : distinct(userIds)) {
            if (userId <= 0) {
                throw invalid("user ids must be positive");
            }
            if (!members.containsKey(userId)) {
                members.put(userId, new GroupRoster.Member(GroupRole.MEMBER, false, seq));
                added.add(userId);
            }
        }
        if (members.size() > maxMembers) {
            throw denied("a group has at most " + maxMembers + " members");
        }
        return added;
    }

    private static Outcome changed(GroupRoster before, GroupRoster.Settings settings,
            Map<Long, GroupRoster.Member> members, long seq, GroupEvent.Builder event, Set<Long> formerMembers) {
        return new Outcome(new GroupRoster(before.conversationId(), settings, members, seq), event.build(),
                formerMembers);
    }

    private static GroupEvent.Builder event(GroupEvent.Kind kind, List<Long> userIds) {
        return GroupEvent.newBuilder().setKind(kind).addAllUserIds(userIds);
    }

    private static Set<Long> distinct(List<Long> userIds) {
        return new LinkedHashSet<>(userIds);
    }

    private static GroupRoster.Member requireMember(Map<Long, GroupRoster.Member> members, long userId) {
        GroupRoster.Member member = members.get(userId);
        if (member == null) {
            throw invalid("user " + userId + " is not a member of this group");
        }
        return member;
    }

    private static void requireAtLeast(GroupRoster.Member actor, GroupRole role, String reason) {
        if (!actor.atLeast(role)) {
            throw denied(reason);
        }
    }

    /** The owner acts on anyone else; an admin on members only. */
    private static void requireOutranks(GroupRoster.Member actor, GroupRoster.Member target, String what) {
        if (target.role().getNumber() >= actor.role().getNumber()) {
            throw denied("you may not " + what + " a member whose role is " + target.role().name().toLowerCase()
                    + " (yours: " + actor.role().name().toLowerCase() + ")");
        }
    }

    static StatusRuntimeException noSuchGroup() {
        return GrpcErrors.error(ErrorCode.UNKNOWN_CONVERSATION, "no such group");
    }

    private static StatusRuntimeException denied(String reason) {
        return GrpcErrors.error(ErrorCode.PERMISSION_DENIED, reason);
    }

    private static StatusRuntimeException invalid(String reason) {
        return GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, reason);
    }
}
