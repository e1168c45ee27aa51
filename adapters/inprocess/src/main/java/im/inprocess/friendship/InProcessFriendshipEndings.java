package im.inprocess.friendship;

import im.common.friendship.FriendshipEndingListener;
import im.common.friendship.FriendshipEndings;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Ended friendships inside the one JVM of the standalone app: the user service's request thread
 * tells the router's listener directly, so the pair is forgotten before the REST call answers.
 * Nothing is ever missed, so listeners never hear {@link FriendshipEndingListener#missedEndings}.
 */
@Singleton
public class InProcessFriendshipEndings implements FriendshipEndings {

    private final List<FriendshipEndingListener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void publish(long userA, long userB) {
        for (FriendshipEndingListener listener : listeners) {
            listener.ended(userA, userB);
        }
    }

    @Override
    public void listen(FriendshipEndingListener listener) {
        listeners.add(listener);
    }
}
