package im.common.friendship;

/**
 * Tells every router that two users stopped being friends (one removed the other, or blocked
 * them), so that a router which remembers the pair as allowed to send forgets it at once instead
 * of at its next background check. The user service publishes after the transaction that ended
 * the friendship committed; routers listen. The Redis form carries each notice over pub/sub to
 * every node; the in-process form serves the standalone app.
 *
 * <p>A notice is a hint to forget, never a decision: a router that forgets a pair asks the user
 * service again. So a notice for a pair that was never friends, or one repeated, does no harm.
 */
public interface FriendshipEndings {

    /**
     * Tells every listener, here before this returns and on every other node, that {@code userA}
     * and {@code userB} may no longer send to each other (both directions). May cross the
     * network: call it from a worker thread.
     *
     * @throws FriendshipEndingsUnavailableException when the notice could not be sent to the
     *         other nodes (listeners here were told)
     */
    void publish(long userA, long userB);

    /** Adds a listener for every later notice, published here or heard from another node. */
    void listen(FriendshipEndingListener listener);
}
