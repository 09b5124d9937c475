package dev.faxlan.transport;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.Message;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamFrame;

/** Writes CPI messages on QUIC streams. */
public final class FrameWriter {
    private FrameWriter() {}

    /** {@code m} as one stream frame; {@code last} puts the stream's FIN in the same frame. */
    public static QuicStreamFrame frame(Message m, boolean last) {
        return new DefaultQuicStreamFrame(Unpooled.wrappedBuffer(CpiCodec.encode(m)), last);
    }

    /**
     * Writes {@code m} with FIN in the same frame. Never {@code shutdownOutput()} after a write: Netty
     * sends that FIN at once, ahead of data still waiting for flow-control credit, and truncates it.
     */
    public static ChannelFuture writeLast(Channel stream, Message m) {
        return stream.writeAndFlush(frame(m, true));
    }
}
