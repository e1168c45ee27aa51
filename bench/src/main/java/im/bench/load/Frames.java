package im.bench.load;

import im.protocol.client.Frame;
import im.protocol.client.Ping;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32FrameDecoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;

/** The TCP framing of the client protocol: each Frame preceded by its length as a varint32. */
public final class Frames {

    private static final Frame PING = Frame.newBuilder().setPing(Ping.getDefaultInstance()).build();

    private Frames() {
    }

    /** A heartbeat: the server answers Pong and counts the connection as alive. */
    public static Frame ping() {
        return PING;
    }

    public static void install(ChannelPipeline pipeline) {
        pipeline.addLast("frameDecoder", new ProtobufVarint32FrameDecoder());
        pipeline.addLast("protobufDecoder", new ProtobufDecoder(Frame.getDefaultInstance()));
        pipeline.addLast("framePrepender", new ProtobufVarint32LengthFieldPrepender());
        pipeline.addLast("protobufEncoder", new ProtobufEncoder());
    }
}
