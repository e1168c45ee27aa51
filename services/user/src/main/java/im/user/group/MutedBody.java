package im.user.group;

/** Body of the two {@code PUT .../muted} calls: whether the member, or the group, is muted. */
public record MutedBody(Boolean muted) {
}
