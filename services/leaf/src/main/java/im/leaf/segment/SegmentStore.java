package im.leaf.segment;

/** Where segments come from: a counter per tag that only ever moves forward. */
public interface SegmentStore {

    /**
     * Claims the next segment of a tag, creating the tag's counter if it does not exist yet. The
     * claim is durable before this returns, so a restart never hands out its ids again.
     *
     * @throws SegmentStoreException when the store cannot be reached or refuses the claim
     */
    Segment claim(String bizTag);
}
