package dev.faxlan.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The connection-level handler of a CPI QUIC connection: drops the peer's keep-alive DATAGRAMs (they
 * arrive as {@link ByteBuf}s on the connection) and passes everything else on. Streams must go on:
 * Netty registers a new stream at the pipeline's tail, and one swallowed here would never open.
 * A failure closes the connection; subclasses add what each side keeps per connection.
 */
@ChannelHandler.Sharable
public class KeepAliveFilter extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf keepalive) {
            keepalive.release();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
