package im.leaf.segment;

/** A new tag was asked for while the node already serves its maximum number of tags. */
public class TooManyTagsException extends RuntimeException {

    public TooManyTagsException(int maxTags) {
        super("this node already serves " + maxTags + " tags");
    }
}
