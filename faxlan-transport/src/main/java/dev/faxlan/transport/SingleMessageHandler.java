package dev.faxlan.transport;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The end of a QUIC stream that receives one CPI message: a response, a pushed event, an event's ack.
 * Collects the frame from the buffers as they arrive, releases each buffer, and hands the message to
 * {@link #onMessage} once it is complete.
 */
public abstract class SingleMessageHandler extends ChannelInboundHandlerAdapter {
    private final FrameReader frames;

    protected SingleMessageHandler() {
        this.frames = new FrameReader();
    }

    /** A handler that refuses a frame longer than {@code maxFrame} bytes: where the message is known to be small. */
    protected SingleMessageHandler(int maxFrame) {
        this.frames = new FrameReader(maxFrame);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            Message m = frames.readMessage(buf);
            if (m != null) onMessage(ctx, m);
        } catch (CpiException e) {
            onMalformed(ctx, e);
        } finally {
            buf.release();
        }
    }

    /** The message, complete; called on the stream's event loop. */
    protected abstract void onMessage(ChannelHandlerContext ctx, Message m);

    /** The bytes are no CPI frame, or too long a one: by default the stream is closed. */
    protected void onMalformed(ChannelHandlerContext ctx, CpiException e) {
        ctx.close();
    }
}
