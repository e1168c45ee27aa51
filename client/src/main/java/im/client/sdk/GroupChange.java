package im.client.sdk;

/**
 * Answer of a change to a group: {@code seq} is the system message that records it in the group's
 * conversation (its {@code Message.group_event}), 0 when the call changed nothing (the users were
 * members already, the role was already that one, a request to join was rejected, ...).
 * {@code pending}: the caller asked to join an {@code APPROVAL} group and waits for the owner or an
 * admin to approve (seq 0 until then).
 */
public record GroupChange(long groupId, long seq, boolean pending) {

    public boolean changed() {
        return seq > 0;
    }
}
