package im.common.friendship;

/**
 * Hears of ended friendships. Called on whichever thread learned of it (a Redis connection's
 * event loop, the publishing request's thread): it must not block.
 */
public interface FriendshipEndingListener {

    /** {@code userA} and {@code userB} may no longer send to each other, in either direction. */
    void ended(long userA, long userB);

    /**
     * Notices may have been lost (the channel that carries them was down, or only now came up):
     * any pair may have ended meanwhile, so everything remembered as allowed should be forgotten.
     */
    void missedEndings();
}
