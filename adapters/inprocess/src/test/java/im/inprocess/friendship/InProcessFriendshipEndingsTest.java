package im.inprocess.friendship;

import static org.junit.jupiter.api.Assertions.assertEquals;

import im.common.friendship.FriendshipEndingListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InProcessFriendshipEndingsTest {

    private final InProcessFriendshipEndings endings = new InProcessFriendshipEndings();

    @Test
    void everyListenerHearsTheEndingBeforePublishReturns_andNothingIsEverMissed() {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        endings.listen(recording(first));
        endings.listen(recording(second));

        endings.publish(7, 9);

        assertEquals(List.of("ended 7 9"), first);
        assertEquals(List.of("ended 7 9"), second);
    }

    @Test
    void aListenerAddedLaterHearsOnlyLaterEndings() {
        endings.publish(1, 2);
        List<String> heard = new ArrayList<>();
        endings.listen(recording(heard));

        endings.publish(3, 4);

        assertEquals(List.of("ended 3 4"), heard);
    }

    private static FriendshipEndingListener recording(List<String> heard) {
        return new FriendshipEndingListener() {
            @Override
            public void ended(long userA, long userB) {
                heard.add("ended " + userA + " " + userB);
            }

            @Override
            public void missedEndings() {
                heard.add("missed");
            }
        };
    }
}
