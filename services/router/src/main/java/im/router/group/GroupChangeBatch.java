package im.router.group;

import im.protocol.client.Message;
import im.router.conversation.ConversationRepository;
import im.router.conversation.StoredSeqs;
import im.router.message.MessageRepository;
import im.router.routing.DeliveryRouting;
import im.router.store.GroupCommit;
import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Stores group changes, each in the transaction of its system message: lock the conversation's
 * row, read the group as it stands, judge the change by the rules, write what it changes and the
 * message recording it under the conversation's next seq. A refused change writes nothing and
 * takes no seq. Changes are rare next to sends; each reads its group whole.
 */
final class GroupChangeBatch implements GroupCommit.BatchWork<GroupChangeBatch.Request, GroupChangeBatch.Result> {

    /** A change asked for by {@code actorId}, with the msg id its system message will carry. */
    record Request(String conversationId, long actorId, GroupChange change, long msgId) {
    }

    /**
     * What became of a change: refused ({@code refusal}); or judged, with the roster after it and
     * its stored system message (null when it changed nothing); {@code formerMembers} are told too.
     */
    record Result(GroupRoster roster, Message message, Set<Long> formerMembers, boolean pending,
            StatusRuntimeException refusal) {
    }

    private final ConversationRepository conversations;
    private final GroupRepository groups;
    private final MessageRepository messages;
    private final StoredSeqs storedSeqs;
    private final GroupRosters rosters;
    private final GroupRules rules;
    private final DeliveryRouting routing;

    GroupChangeBatch(ConversationRepository conversations, GroupRepository groups, MessageRepository messages,
            StoredSeqs storedSeqs, GroupRosters rosters, GroupRules rules, DeliveryRouting routing) {
        this.conversations = conversations;
        this.groups = groups;
        this.messages = messages;
        this.storedSeqs = storedSeqs;
        this.rosters = rosters;
        this.rules = rules;
        this.routing = routing;
    }

    @Override
    public List<Result> write(Connection connection, List<Request> items) throws SQLException {
        List<Result> results = new ArrayList<>(items.size());
        for (Request item : items) {
            results.add(write(connection, item));
        }
        return results;
    }

    private Result write(Connection connection, Request item) throws SQLException {
        long now = System.currentTimeMillis();
        String conversationId = item.conversationId();
        long last = conversations.lockLastSeq(connection, conversationId);
        GroupRoster before = groups.roster(connection, conversationId, last);
        Set<Long> asking = before == null ? Set.of() : groups.asking(connection, conversationId, concerned(item));
        GroupRules.Outcome outcome;
        try {
            outcome = rules.apply(conversationId, before, item.actorId(), item.change(), last + 1, now, asking);
        } catch (StatusRuntimeException refused) {
            return new Result(before, null, Set.of(), false, refused);
        }
        groups.writeRequests(connection, conversationId,
                outcome.asks().stream().filter(user -> !asking.contains(user)).collect(Collectors.toSet()),
                outcome.settled(), now);
        if (!outcome.changed()) {
            return new Result(outcome.after(), null, Set.of(), outcome.pending(), null);
        }
        long seq = conversations.reserveSeqs(connection, conversationId, 1, now);
        if (seq != last + 1) {
            throw new SQLException("conversation " + conversationId + " moved under its row lock: " + last + " -> "
                    + (seq - 1));
        }
        groups.write(connection, before, outcome.after(), now);
        Message message = Message.newBuilder()
                .setMsgId(item.msgId())
                .setConversationId(conversationId)
                .setSeq(seq)
                .setSenderId(item.actorId())
                // No device: every device of the actor hears of it.
                .setSenderDeviceId("")
                .setClientMsgId("group-event:" + item.msgId())
                .setCreatedAtMs(now)
                .setGroupEvent(outcome.event())
                .build();
        messages.insertGroupEvent(connection, message);
        return new Result(outcome.after(), message, outcome.formerMembers(), false, null);
    }

    /** The users whose requests to join the change may touch. */
    private static List<Long> concerned(Request item) {
        if (item.change() instanceof GroupChange.AddMembers add) {
            return add.userIds();
        }
        if (item.change() instanceof GroupChange.ApproveJoin approve) {
            return approve.userIds();
        }
        if (item.change() instanceof GroupChange.RejectJoin reject) {
            return reject.userIds();
        }
        return List.of(item.actorId());
    }

    @Override
    public void committed(List<Request> items, List<Result> results) {
        for (Result result : results) {
            if (result.message() != null) {
                storedSeqs.stored(result.message().getConversationId(), result.message().getSeq());
                rosters.remember(result.roster());
            }
        }
    }

    /** The members after the change and those it let out: everyone who should see it happen. */
    @Override
    public void publish(List<Request> items, List<Result> results) {
        List<DeliveryRouting.MessageRoute> routes = new ArrayList<>();
        for (Result result : results) {
            if (result.message() != null) {
                Set<Long> told = new HashSet<>(result.roster().memberIds());
                told.addAll(result.formerMembers());
                routes.add(new DeliveryRouting.MessageRoute(result.message(), told));
            }
        }
        if (!routes.isEmpty()) {
            routing.publishMessages(routes);
        }
    }
}
