package dev.faxlan.sdk.transport;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.Message;
import dev.faxlan.transport.FrameReader;
import dev.faxlan.transport.FrameWriter;
import dev.faxlan.transport.KeepAliveFilter;
import dev.faxlan.transport.QuicSettings;
import dev.faxlan.transport.SingleMessageHandler;
import dev.faxlan.transport.keylog.TlsKeyLog;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * One QUIC connection to a CPI server: requests on client-opened streams, events on server-opened
 * ones. Knows the wire, not the retry policy (that is {@link dev.faxlan.sdk.FaxlanClient}'s).
 */
public final class CpiConnection implements AutoCloseable {
    static final int CHUNK = 64 * 1024;
    private final Channel udp;
    private final QuicChannel quic;

    /** An event pushed by the server; {@link #ack()} answers on its stream. */
    public record PushedEvent(Message.Event event, Runnable ack) {}

    private CpiConnection(Channel udp, QuicChannel quic) {
        this.udp = udp;
        this.quic = quic;
    }

    /**
     * Connects and completes the TLS handshake within {@code timeoutMillis}.
     *
     * @throws IOException when no handshake completes in time or the server identity is refused
     */
    public static CpiConnection connect(EventLoopGroup group, boolean epoll, InetSocketAddress server, PinningTrustManager trust,
            Consumer<PushedEvent> events, long timeoutMillis) throws IOException, InterruptedException {
        return connect(group, epoll, server, trust, events, timeoutMillis, null);
    }

    /** As above, writing the connection's TLS secrets to {@code keyLog} when it is not null (debugging only). */
    public static CpiConnection connect(EventLoopGroup group, boolean epoll, InetSocketAddress server, PinningTrustManager trust,
            Consumer<PushedEvent> events, long timeoutMillis, TlsKeyLog keyLog) throws IOException, InterruptedException {
        QuicSslContextBuilder tls = QuicSslContextBuilder.forClient().trustManager(trust).applicationProtocols(CpiCodec.ALPN);
        if (keyLog != null) tls.keylog(keyLog);
        QuicSslContext ssl = tls.build();
        // BBR unless the system property faxlan.quic.cc says CUBIC or RENO: the client sends the uploads,
        // and bench/cpi-upload.sh measured BBR well ahead of quiche's CUBIC on the lossy path (bench/RESULTS.md).
        ChannelHandler codec = QuicSettings.apply(new QuicClientCodecBuilder(), QuicSettings.Windows.CLIENT, congestionControl())
                .sslContext(ssl)
                .build();
        Bootstrap b = QuicSettings.udp(new Bootstrap().group(group), epoll).handler(codec);
        InetSocketAddress local = server.getAddress() instanceof java.net.Inet6Address ? new InetSocketAddress("::", 0) : new InetSocketAddress(0);
        Channel udp = b.bind(local).sync().channel();
        io.netty.handler.codec.quic.QuicChannelBootstrap qb = QuicChannel.newBootstrap(udp);
        if (epoll) qb.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, QuicSettings.segmentedAllocator());
        io.netty.util.concurrent.Future<QuicChannel> f = qb
                .handler(new KeepAliveFilter())
                .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel ch) {
                        ch.pipeline().addLast(new EventStreamHandler(events));
                    }
                })
                .remoteAddress(server)
                .connect();
        if (!f.await(timeoutMillis, TimeUnit.MILLISECONDS) || !f.isSuccess()) {
            Throwable cause = f.cause();
            // Closing the socket fails the pending connect; cancelling it instead makes Netty warn.
            udp.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
            if (trust.mismatch()) throw new IdentityException(cause);
            String why = cause != null && cause.getMessage() != null ? ": " + cause.getMessage() : "";
            throw new IOException("no QUIC handshake with " + server.getHostString() + ":" + server.getPort() + " within " + timeoutMillis + " ms" + why, cause);
        }
        QuicChannel quic = f.getNow();
        quic.closeFuture().addListener(x -> closeAfterFlush(udp));
        return new CpiConnection(udp, quic);
    }

    private static QuicCongestionControlAlgorithm congestionControl() {
        String cc = System.getProperty("faxlan.quic.cc", "BBR");
        try {
            return QuicCongestionControlAlgorithm.valueOf(cc.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return QuicCongestionControlAlgorithm.BBR;
        }
    }

    /** Thrown when the server's certificate is not the pinned one. */
    public static final class IdentityException extends IOException {
        IdentityException(Throwable cause) {
            super("server identity mismatch", cause);
        }
    }

    public boolean isActive() {
        return quic.isActive();
    }

    /**
     * QUIC packets received from the server so far, or -1 when the count could not be had in time: a
     * count that does not grow while a request waits tells a silent node from a slow one (a live node's
     * QUIC stack acknowledges what it is sent). Not on the connection's event loop.
     */
    public long packetsReceived() {
        try {
            return quic.collectStats().get(1, TimeUnit.SECONDS).recv();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (Exception e) {
            return -1;
        }
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) udp.localAddress();
    }

    public io.netty.channel.ChannelFuture closeFuture() {
        return quic.closeFuture();
    }

    /** Sends one request on a new stream; the future completes with the response or a transport failure. */
    public CompletableFuture<Message> request(Message.Request req) {
        CompletableFuture<Message> result = new CompletableFuture<>();
        ResponseHandler handler = new ResponseHandler(result);
        quic.createStream(QuicStreamType.BIDIRECTIONAL, handler).addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new IOException("cannot open a stream: " + f.cause(), f.cause()));
                return;
            }
            QuicStreamChannel s = (QuicStreamChannel) f.getNow();
            FrameWriter.writeLast(s, req);
        });
        return result;
    }

    /**
     * Sends an {@code upload.data} request frame followed by the file's bytes from {@code offset} to
     * {@code end}, FIN on the last chunk. Writes only while the stream is writable, so memory stays
     * bounded by QUIC's flow control.
     */
    public CompletableFuture<Message> upload(Message.Request header, FileChannel file, long offset, long end, LongConsumer progress) {
        CompletableFuture<Message> result = new CompletableFuture<>();
        UploadHandler handler = new UploadHandler(result, header, file, offset, end, progress);
        quic.createStream(QuicStreamType.BIDIRECTIONAL, handler).addListener(f -> {
            if (!f.isSuccess()) result.completeExceptionally(new IOException("cannot open a stream: " + f.cause(), f.cause()));
        });
        return result;
    }

    /**
     * Sends an {@code inbox.fetch} request and writes the bytes that follow the response frame into
     * {@code file} from the request's offset. The future completes with the response once all bytes
     * are written, or with an error response; {@code progress} hears the file position reached.
     */
    public CompletableFuture<Message> fetch(Message.Request req, FileChannel file, LongConsumer progress) {
        CompletableFuture<Message> result = new CompletableFuture<>();
        FetchHandler handler = new FetchHandler(result, file, progress);
        quic.createStream(QuicStreamType.BIDIRECTIONAL, handler).addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new IOException("cannot open a stream: " + f.cause(), f.cause()));
                return;
            }
            FrameWriter.writeLast((QuicStreamChannel) f.getNow(), req);
        });
        return result;
    }

    @Override
    public void close() {
        quic.close();
        // Bounded: the server learns of the close by the CONNECTION_CLOSE, or at worst by its idle timeout.
        if (!udp.eventLoop().inEventLoop()) udp.closeFuture().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }

    /**
     * Closes the UDP channel once what the QUIC connection wrote to it has left. The QuicChannel's close
     * completes with its CONNECTION_CLOSE written to the UDP channel but not yet flushed; closing the UDP
     * channel at once dropped it, so the server kept counting the connection until its idle timeout
     * (netty#16718; seen on loopback as most closed connections sending no final packet).
     */
    private static void closeAfterFlush(Channel udp) {
        udp.eventLoop().execute(() -> {
            udp.flush();
            udp.close();
        });
    }

    private static class ResponseHandler extends SingleMessageHandler {
        final CompletableFuture<Message> result;

        ResponseHandler(CompletableFuture<Message> result) {
            this.result = result;
        }

        @Override
        protected void onMessage(ChannelHandlerContext ctx, Message m) {
            result.complete(m);
            ctx.close();
        }

        @Override
        protected void onMalformed(ChannelHandlerContext ctx, CpiException e) {
            result.completeExceptionally(new IOException("malformed response: " + e.getMessage()));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.completeExceptionally(new IOException("stream closed before the response arrived"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(new IOException(cause.toString(), cause));
            ctx.close();
        }
    }

    private static final class UploadHandler extends ResponseHandler {
        private final Message.Request header;
        private final FileChannel file;
        private final long end;
        private final LongConsumer progress;
        private long position;
        private boolean finished;

        UploadHandler(CompletableFuture<Message> result, Message.Request header, FileChannel file, long offset, long end, LongConsumer progress) {
            super(result);
            this.header = header;
            this.file = file;
            this.position = offset;
            this.end = end;
            this.progress = progress;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            boolean last = position >= end;
            ctx.write(FrameWriter.frame(header, last));
            finished = last;
            pump(ctx);
            ctx.fireChannelActive();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            pump(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        private void pump(ChannelHandlerContext ctx) {
            try {
                while (!finished && ctx.channel().isWritable()) {
                    int n = (int) Math.min(CHUNK, end - position);
                    ByteBuf buf = ctx.alloc().directBuffer(n);
                    int read = 0;
                    while (read < n) {
                        int r = buf.writeBytes(file, position + read, n - read);
                        if (r < 0) throw new IOException("file shrank during upload");
                        read += r;
                    }
                    position += n;
                    finished = position >= end;
                    long sent = position;
                    ctx.write(new DefaultQuicStreamFrame(buf, finished)).addListener(f -> {
                        if (f.isSuccess()) progress.accept(sent);
                    });
                }
                ctx.flush();
            } catch (IOException e) {
                result.completeExceptionally(e);
                ctx.close();
            }
        }
    }

    /** The response frame of {@code inbox.fetch}, then the document's bytes straight into the file. */
    private static final class FetchHandler extends ResponseHandler {
        private final FileChannel file;
        private final LongConsumer progress;
        private final FrameReader header = new FrameReader();
        private Message.Ok ok;
        private long position;
        private long end;

        FetchHandler(CompletableFuture<Message> result, FileChannel file, LongConsumer progress) {
            super(result);
            this.file = file;
            this.progress = progress;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                if (ok == null) {
                    Message m = header.readMessage(buf);
                    if (m == null) return;
                    if (!(m instanceof Message.Ok o)) {
                        result.complete(m);
                        ctx.close();
                        return;
                    }
                    ok = o;
                    position = o.body().integer("offset");
                    end = o.body().integer("size");
                    byte[] rest = header.rest();
                    write(ByteBuffer.wrap(rest));
                } else {
                    write(buf.nioBuffer());
                }
                if (position >= end) {
                    result.complete(ok);
                    ctx.close();
                }
            } catch (CpiException e) {
                result.completeExceptionally(new IOException("malformed response: " + e.getMessage()));
                ctx.close();
            } catch (IOException e) {
                result.completeExceptionally(e);
                ctx.close();
            } finally {
                buf.release();
            }
        }

        private void write(ByteBuffer bytes) throws IOException {
            if (position + bytes.remaining() > end) throw new IOException("the server sent more than the " + end + " bytes it announced");
            while (bytes.hasRemaining()) position += file.write(bytes, position);
            progress.accept(position);
        }
    }

    /** A server-opened stream carrying one event; acknowledged on the same stream. */
    private static final class EventStreamHandler extends SingleMessageHandler {
        private final Consumer<PushedEvent> sink;

        EventStreamHandler(Consumer<PushedEvent> sink) {
            this.sink = sink;
        }

        @Override
        protected void onMessage(ChannelHandlerContext ctx, Message m) {
            if (m instanceof Message.Event ev) {
                Channel ch = ctx.channel();
                sink.accept(new PushedEvent(ev, () -> FrameWriter.writeLast(ch, new Message.Ack(ev.seq()))));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
