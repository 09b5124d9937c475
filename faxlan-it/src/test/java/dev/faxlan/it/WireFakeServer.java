package dev.faxlan.it;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.FrameBuffer;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.server.identity.ServerIdentity;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A CPI server that answers every request with a canned body and keeps each request as it arrived, so
 * a test sees the exact bytes a client sends. Binds port 0: the port is the socket's own, never picked ahead.
 */
final class WireFakeServer implements AutoCloseable {
    /** A request as it arrived: its operation and its body, still in the sender's key order. */
    record Received(Op op, Fields body) {}

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Function<Message.Request, Message> answer;
    private final byte[] fetchBytes;

    /**
     * @param answer the response to each request frame; for {@code upload.data} given once the stream's bytes have all arrived
     * @param fetchBytes the document an {@code inbox.fetch} answer is followed by
     */
    WireFakeServer(Path dir, Function<Message.Request, Message> answer, byte[] fetchBytes) throws Exception {
        this.answer = answer;
        this.fetchBytes = fetchBytes;
        ServerIdentity identity = ServerIdentity.loadOrCreate(dir, "wire-fake");
        var codec = new QuicServerCodecBuilder()
                .sslContext(QuicSslContextBuilder.forServer(identity.key(), null, identity.certificate()).applicationProtocols(CpiCodec.ALPN).build())
                .maxIdleTimeout(60, TimeUnit.SECONDS)
                .initialMaxData(16L << 20)
                .initialMaxStreamDataBidirectionalLocal(4L << 20)
                .initialMaxStreamDataBidirectionalRemote(4L << 20)
                .initialMaxStreamDataUnidirectional(1L << 20)
                .initialMaxStreamsBidirectional(256)
                .initialMaxStreamsUnidirectional(16)
                .tokenHandler(InsecureQuicTokenHandler.INSTANCE)
                .handler(new Connection())
                .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel ch) {
                        ch.pipeline().addLast(new Stream());
                    }
                })
                .build();
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec)
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The bodies of the requests of {@code op} received so far, in order. */
    List<Fields> bodies(Op op) {
        return received.stream().filter(r -> r.op() == op).map(Received::body).toList();
    }

    /** One instance serves every connection. */
    @io.netty.channel.ChannelHandler.Sharable
    private static final class Connection extends ChannelInboundHandlerAdapter {}

    private final class Stream extends ChannelInboundHandlerAdapter {
        private final FrameBuffer frames = new FrameBuffer();
        private Message.Request request;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            ByteBuf buf = (ByteBuf) msg;
            try {
                if (request != null) return; // upload bytes: only the frame before them matters here
                byte[] b = new byte[buf.readableBytes()];
                buf.readBytes(b);
                frames.append(b, 0, b.length);
                byte[] frame = frames.poll();
                if (frame == null) return;
                request = (Message.Request) CpiCodec.decode(frame);
                received.add(new Received(request.op(), request.body()));
                if (request.op() == Op.UPLOAD_DATA) return;
                Message m = answer.apply(request);
                if (request.op() == Op.INBOX_FETCH && m instanceof Message.Ok) {
                    ctx.write(new DefaultQuicStreamFrame(Unpooled.wrappedBuffer(CpiCodec.encode(m)), false));
                    ctx.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.wrappedBuffer(fetchBytes), true));
                } else {
                    ctx.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.wrappedBuffer(CpiCodec.encode(m)), true));
                }
            } finally {
                buf.release();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent && request != null && request.op() == Op.UPLOAD_DATA) {
                ctx.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.wrappedBuffer(CpiCodec.encode(answer.apply(request))), true));
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    static Message ok(Message.Request r, Map<String, Object> body) {
        return new Message.Ok(r.id(), new Fields(body));
    }

    static Message error(Message.Request r, ErrorCode code) {
        return new Message.Error(r.id(), code, "canned " + code);
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
