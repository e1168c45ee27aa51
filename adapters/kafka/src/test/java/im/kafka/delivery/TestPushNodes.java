package im.kafka.delivery;

import jakarta.inject.Singleton;

/** The test app is a push process with two nodes: two handler beans, so it consumes two node topics. */
final class TestPushNodes {

    static final String A = "push-a";
    static final String B = "push-b";
    /** A node that has no handler in the test app. */
    static final String ELSEWHERE = "push-elsewhere";

    private TestPushNodes() {
    }

    @Singleton
    static class NodeA extends RecordingHandler {
        NodeA() {
            super(A);
        }
    }

    @Singleton
    static class NodeB extends RecordingHandler {
        NodeB() {
            super(B);
        }
    }
}
