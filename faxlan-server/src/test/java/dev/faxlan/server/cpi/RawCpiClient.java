package dev.faxlan.server.cpi;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.FrameBuffer;
import dev.faxlan.protocol.Message;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A bare QUIC client for attacking a CPI server in tests: it opens streams and writes whatever bytes a
 * test asks for, complete frames or not. It trusts any certificate (the tests are about memory, not identity).
 */
final class RawCpiClient implements AutoCloseable {
    private final Channel udp;
    final QuicChannel quic;
    /** The CONNECTION_CLOSE the server sent, once it did. */
    final CompletableFuture<QuicConnectionCloseEvent> closedByServer = new CompletableFuture<>();
    /** The first frame of each stream the server opened (alert events), in arrival order. */
    final BlockingQueue<Pushed> pushed;

    /** A frame on a server-opened stream; {@link #ack()} answers on that stream. */
    record Pushed(Message message, QuicStreamChannel stream) {
        void ack() {
            stream.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.wrappedBuffer(CpiCodec.encode(new Message.Ack(((Message.Event) message).seq()))), true));
        }
    }

    private RawCpiClient(Channel udp, QuicChannel quic, BlockingQueue<Pushed> pushed) {
        this.udp = udp;
        this.quic = quic;
        this.pushed = pushed;
    }

    static RawCpiClient connect(EventLoopGroup group, InetSocketAddress server) throws Exception {
        var ssl = QuicSslContextBuilder.forClient().trustManager(new TrustAll()).applicationProtocols(CpiCodec.ALPN).build();
        var codec = new QuicClientCodecBuilder().sslContext(ssl).maxIdleTimeout(60, TimeUnit.SECONDS)
                .initialMaxData(64L << 20).initialMaxStreamDataBidirectionalLocal(4L << 20).initialMaxStreamDataBidirectionalRemote(4L << 20)
                .initialMaxStreamsBidirectional(256).initialMaxStreamsUnidirectional(16).datagram(64, 64).build();
        Channel udp = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec).bind(0).sync().channel();
        CompletableFuture<QuicConnectionCloseEvent> closed = new CompletableFuture<>();
        BlockingQueue<Pushed> pushed = new LinkedBlockingQueue<>();
        var f = QuicChannel.newBootstrap(udp).handler(new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof QuicConnectionCloseEvent e) closed.complete(e);
                ctx.fireUserEventTriggered(evt);
            }
        }).streamHandler(new io.netty.channel.ChannelInitializer<QuicStreamChannel>() {
            @Override
            protected void initChannel(QuicStreamChannel ch) {
                ch.pipeline().addLast(new FrameReader(m -> pushed.add(new Pushed(m, ch)), malformed -> ch.close()));
            }
        }).remoteAddress(server).connect();
        if (!f.await(10, TimeUnit.SECONDS) || !f.isSuccess()) {
            udp.close();
            throw new IllegalStateException("no QUIC handshake with " + server, f.cause());
        }
        RawCpiClient c = new RawCpiClient(udp, f.getNow(), pushed);
        closed.whenComplete((e, t) -> c.closedByServer.complete(e));
        c.quic.closeFuture().addListener(x -> udp.close());
        return c;
    }

    /** The reason text of the server's CONNECTION_CLOSE. */
    static String reason(QuicConnectionCloseEvent e) {
        return new String(e.reason(), StandardCharsets.UTF_8);
    }

    /** Opens a request stream; nothing is sent yet. */
    Stream open() throws Exception {
        Stream s = new Stream();
        s.channel = quic.createStream(QuicStreamType.BIDIRECTIONAL, s.handler).sync().getNow();
        return s;
    }

    @Override
    public void close() {
        quic.close();
        udp.close();
    }

    /** One client-opened stream: what the test writes on it and the first frame the server answers. */
    static final class Stream {
        QuicStreamChannel channel;
        final CompletableFuture<Message> response = new CompletableFuture<>();
        private final ChannelInboundHandlerAdapter handler = new FrameReader(response::complete, response::completeExceptionally) {
            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                response.completeExceptionally(new IllegalStateException("stream closed without a response"));
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                // writes the server refused to take (STOP_SENDING) fail here; the response tells why
            }
        };

        /** Writes {@code bytes}; the stream stays open for more. */
        void send(byte[] bytes) {
            channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
        }

        /** Writes {@code bytes} with FIN. */
        void sendLast(byte[] bytes) {
            channel.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.wrappedBuffer(bytes), true));
        }

        Message awaitResponse() throws Exception {
            return response.get(30, TimeUnit.SECONDS);
        }
    }

    /** Gathers a stream's bytes into CPI frames and hands on each one, or the error of one that does not decode. */
    private static class FrameReader extends ChannelInboundHandlerAdapter {
        private final FrameBuffer frames = new FrameBuffer();
        private final Consumer<Message> onFrame;
        private final Consumer<CpiException> onMalformed;

        FrameReader(Consumer<Message> onFrame, Consumer<CpiException> onMalformed) {
            this.onFrame = onFrame;
            this.onMalformed = onMalformed;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                byte[] b = new byte[buf.readableBytes()];
                buf.readBytes(b);
                frames.append(b, 0, b.length);
                byte[] frame = frames.poll();
                if (frame != null) onFrame.accept(CpiCodec.decode(frame));
            } catch (CpiException e) {
                onMalformed.accept(e);
            } finally {
                buf.release();
            }
        }
    }

    /** The 4-byte prefix of a frame of {@code length} bytes. */
    static byte[] prefix(int length) {
        return new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    private static final class TrustAll extends X509ExtendedTrustManager {
        public void checkClientTrusted(X509Certificate[] c, String a, Socket s) {}

        public void checkServerTrusted(X509Certificate[] c, String a, Socket s) {}

        public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}

        public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}

        public void checkClientTrusted(X509Certificate[] c, String a) {}

        public void checkServerTrusted(X509Certificate[] c, String a) {}

        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
