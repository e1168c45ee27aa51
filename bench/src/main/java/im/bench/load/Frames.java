package im.bench.load;

import im.protocol.client.Frame;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32FrameDecoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;

/** The TCP framing of the client protocol: each Frame preceded by its length as a varint32. */
public final class Frames {

    private Frames() {
    }

    public static void install(ChannelPipeline pipeline) {
        pipeline.addLast("frameDecoder", new ProtobufVarint32FrameDecoder());
        pipeline.addLast("protobufDecoder", new ProtobufDecoder(Frame.getDefaultInstance()));
        pipeline.addLast("framePrepender", new ProtobufVarint32LengthFieldPrepender());
        pipeline.addLast("protobufEncoder", new ProtobufEncoder());
    }
}
