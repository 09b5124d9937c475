package dev.faxlan.server.cpi;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.Message;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;

/** Writing a message as the last frame of a stream. */
final class StreamIo {
    private StreamIo() {}

    /**
     * Writes {@code m} with FIN in the same frame. Never {@code shutdownOutput()} after a write: Netty
     * sends that FIN at once, ahead of data still waiting for flow-control credit, and truncates it.
     */
    static ChannelFuture writeLast(Channel stream, Message m) {
        return stream.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.wrappedBuffer(CpiCodec.encode(m)), true));
    }
}
