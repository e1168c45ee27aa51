package im.client.sdk.transport;

/** Handler names of the client pipelines, so that handlers added later find their place. */
public final class PipelineNames {

    public static final String TLS = "tls";
    public static final String IDLE = "idle";
    public static final String HTTP_CODEC = "httpCodec";
    public static final String HTTP_AGGREGATOR = "httpAggregator";
    public static final String WEB_SOCKET = "webSocket";
    public static final String WEB_SOCKET_AGGREGATOR = "webSocketAggregator";
    public static final String WEB_SOCKET_FRAMES = "webSocketFrames";
    public static final String FRAME_DECODER = "frameDecoder";
    public static final String FRAME_PREPENDER = "framePrepender";
    public static final String PROTOBUF_DECODER = "protobufDecoder";
    public static final String PROTOBUF_ENCODER = "protobufEncoder";
    public static final String CLIENT = "client";

    private PipelineNames() {
    }
}
