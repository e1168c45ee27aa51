package im.user.group;

import im.protocol.router.JoinRequest;

/** A user who asked to join an {@code APPROVAL} group, and when, as REST answers it. */
public record JoinRequestView(long userId, long requestedAtMs) {

    static JoinRequestView of(JoinRequest request) {
        return new JoinRequestView(request.getUserId(), request.getRequestedAtMs());
    }
}
