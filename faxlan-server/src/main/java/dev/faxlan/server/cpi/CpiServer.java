package dev.faxlan.server.cpi;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.server.ServerThreads;
import dev.faxlan.protocol.discovery.Discovery;
import dev.faxlan.server.identity.ServerIdentity;
import dev.faxlan.server.cpi.operation.CpiService;
import dev.faxlan.server.cpi.abuse.FloodLimits;
import dev.faxlan.server.cpi.abuse.HalfOpenConnections;
import dev.faxlan.server.cpi.abuse.SourceRateLimiter;
import dev.faxlan.server.cpi.abuse.UnvalidatedTraffic;
import dev.faxlan.server.cpi.abuse.UnvalidatedTrafficFilter;
import dev.faxlan.transport.KeepAliveFilter;
import dev.faxlan.transport.QuicSettings;
import dev.faxlan.transport.keylog.TlsKeyLog;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.unix.UnixChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CPI endpoint: one UDP socket (port 4644 by default) carrying QUIC (ALPN {@code cpi/1}) and, in
 * front of the QUIC codec, discovery datagrams. Settings follow docs/protocol.md §Transport.
 */
public final class CpiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CpiServer.class);

    private final ServerIdentity identity;
    private final CpiService service;
    private final String name;
    private final String version;
    private final CpiLimits limits;
    private final ExecutorService workers;
    private final AlertPusher alerts;
    private final ConnectionLimiter connections;
    private final ConnectionState.FrameMemory frames;
    private final UploadRegistry uploads;
    private volatile TlsKeyLog keyLog;
    private final FloodLimits flood;
    private final UnvalidatedTraffic unvalidated = new UnvalidatedTraffic();
    private volatile HalfOpenConnections halfOpen;
    private final boolean epoll = Epoll.isAvailable();
    private volatile EventLoopGroup group;
    private volatile Channel channel;
    private volatile int port;
    private volatile boolean closed;

    private CpiServer(ServerIdentity identity, CpiService service, String name, String version, CpiLimits limits, FloodLimits flood,
            ExecutorService workers) {
        this.flood = flood;
        this.identity = identity;
        this.service = service;
        this.name = name;
        this.version = version;
        this.limits = limits;
        this.workers = workers;
        this.alerts = new AlertPusher(service, workers, limits.subscriptionsPerUser());
        this.connections = new ConnectionLimiter(limits.maxConnections(), limits.maxConnectionsPerAddress());
        this.frames = new ConnectionState.FrameMemory(limits.preAuthServerBytes());
        this.uploads = new UploadRegistry(service.spool());
    }

    public static CpiServer start(InetSocketAddress bind, ServerIdentity identity, CpiService service, String name, String version) throws Exception {
        return start(bind, identity, service, name, version, CpiLimits.defaults());
    }

    public static CpiServer start(InetSocketAddress bind, ServerIdentity identity, CpiService service, String name, String version, CpiLimits limits)
            throws Exception {
        return start(bind, identity, service, name, version, limits, (TlsKeyLog) null);
    }

    /** As above, and with {@code keyLog} not null, writes every connection's TLS secrets to it (debugging only; see docs/packet-analysis.md). */
    public static CpiServer start(InetSocketAddress bind, ServerIdentity identity, CpiService service, String name, String version, CpiLimits limits,
            TlsKeyLog keyLog) throws Exception {
        return start(bind, identity, service, name, version, limits, keyLog, FloodLimits.DEFAULTS.withPerSourceBurst(limits.maxConnectionsPerAddress()));
    }

    /** With the given limits for unvalidated sources and handshakes instead of the defaults. */
    public static CpiServer start(InetSocketAddress bind, ServerIdentity identity, CpiService service, String name, String version, CpiLimits limits,
            FloodLimits flood) throws Exception {
        return start(bind, identity, service, name, version, limits, null, flood);
    }

    /** Requests served at once; the rest wait in a bounded queue. */
    static final int WORKERS = 32;

    public static CpiServer start(InetSocketAddress bind, ServerIdentity identity, CpiService service, String name, String version, CpiLimits limits,
            TlsKeyLog keyLog, FloodLimits flood) throws Exception {
        // Tasks are guarded: an Error in one request (an OutOfMemoryError above all) is logged and the worker lives on.
        // All 32 threads are core threads (idle ones end after 60 s): a ThreadPoolExecutor adds threads beyond its core
        // only once the queue is full, and requests wait mostly on fsync and the database, so four threads capped a node
        // at four syncs at once (bench/RESULTS.md).
        ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4096),
                ServerThreads.daemon("cpi-worker")) {
            @Override
            public void execute(Runnable task) {
                super.execute(ServerThreads.guarded("a CPI task", task));
            }
        };
        workers.allowCoreThreadTimeOut(true);
        try {
            CpiServer server = new CpiServer(identity, service, name, version, limits, flood, workers);
            service.setAlertSink(server.alerts);
            server.keyLog = keyLog;
            if (keyLog != null) log.warn(keyLog.warning());
            server.listen(bind);
            return server;
        } catch (Exception e) {
            workers.shutdownNow();
            throw e;
        }
    }

    /** Binds the UDP socket on a new event loop, and watches that loop: should it ever end unasked, listens again. */
    private synchronized void listen(InetSocketAddress at) throws Exception {
        if (closed) return;
        EventLoopGroup g = new MultiThreadIoEventLoopGroup(1, eventLoopThreads("cpi-io"),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Channel ch;
        try {
            ch = bootstrap(g).bind(at).sync().channel();
        } catch (Exception e) {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        port = ((InetSocketAddress) ch.localAddress()).getPort();
        group = g;
        channel = ch;
        log.info("CPI listening on udp {} ({})", ch.localAddress(), epoll ? "epoll" : "nio");
        g.scheduleAtFixedRate(new UnvalidatedTrafficLog(), UNVALIDATED_LOG_SECONDS, UNVALIDATED_LOG_SECONDS, TimeUnit.SECONDS);
        InetSocketAddress bound = new InetSocketAddress(at.getAddress(), port);
        g.terminationFuture().addListener(f -> {
            if (!closed) relisten(ch, bound);
        });
    }

    /** Netty event loop threads (fast thread-locals) named {@code prefix-…} that log what kills them. */
    private static ThreadFactory eventLoopThreads(String prefix) {
        return new DefaultThreadFactory(prefix, true) {
            @Override
            protected Thread newThread(Runnable r, String name) {
                Thread t = super.newThread(r, name);
                t.setUncaughtExceptionHandler(ServerThreads.LOG_UNCAUGHT);
                return t;
            }
        };
    }

    /**
     * Netty's epoll loop rethrows an Error (an OutOfMemoryError while reading, say), and the loop's thread
     * ends: without this the server would stay deaf after the pressure is gone. Connections of the old
     * loop are lost; clients reconnect.
     */
    private void relisten(Channel dead, InetSocketAddress at) {
        log.error("the CPI event loop ended unexpectedly; listening on udp {} again", at);
        // The loop usually closed its channels on the way out; if not, close the socket here. Netty
        // asserts a close runs on the channel's own loop, which is gone: nothing may stop the relisten.
        try {
            if (dead instanceof UnixChannel unixChannel) {
                if (unixChannel.fd().isOpen()) unixChannel.fd().close(); // the descriptor itself: no loop needed
            } else if (dead.isOpen()) {
                dead.unsafe().closeForcibly();
            }
        } catch (Throwable e) {
            log.warn("closing the CPI socket of the ended loop failed: {}", e.toString());
        }
        Thread t = ServerThreads.daemon("cpi-relisten").newThread(() -> {
            while (!closed) {
                try {
                    listen(at);
                    return;
                } catch (Exception e) {
                    log.error("listening on udp {} again failed; retrying in 1 s", at, e);
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                }
            }
        });
        t.start();
    }

    /** How often the counters of unvalidated traffic are logged, when they changed. */
    private static final long UNVALIDATED_LOG_SECONDS = 60;

    /** Logs {@link UnvalidatedTraffic} when it changed since the last line. */
    private final class UnvalidatedTrafficLog implements Runnable {
        @Override
        public void run() {
            UnvalidatedTraffic.Snapshot now = unvalidated.snapshot();
            if (!now.equals(lastLogged)) log.info("{}", now);
            lastLogged = now;
        }
    }

    private volatile UnvalidatedTraffic.Snapshot lastLogged;

    private Bootstrap bootstrap(EventLoopGroup g) throws Exception {
        // A new loop starts with no connections, so with no handshakes in progress.
        HalfOpenConnections handshakes = new HalfOpenConnections(flood, Clock.systemUTC());
        halfOpen = handshakes;
        SourceRateLimiter retries = new SourceRateLimiter(flood.retriesPerSourcePerSecond(), flood.retriesPerSourceBurst(), flood.trackedSources(),
                Clock.systemUTC());
        ConnectionHandler connection = new ConnectionHandler(limits, connections, frames);
        QuicSslContextBuilder tls = QuicSslContextBuilder.forServer(identity.key(), null, identity.certificate()).applicationProtocols(CpiCodec.ALPN);
        if (keyLog != null) tls.keylog(keyLog);
        QuicSslContext ssl = tls.build();
        QuicServerCodecBuilder codec = QuicSettings.apply(new QuicServerCodecBuilder(), QuicSettings.Windows.SERVER, QuicCongestionControlAlgorithm.BBR)
                .sslContext(ssl)
                .activeConnectionIdLimit(8)
                .tokenHandler(new RetryTokenHandler(Clock.systemUTC(), handshakes, unvalidated))
                .handler(new ChannelInitializer<QuicChannel>() {
                    @Override
                    protected void initChannel(QuicChannel ch) {
                        ch.pipeline().addLast(handshakes.tracker(), connection);
                    }
                })
                .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel ch) {
                        ch.pipeline().addLast(new RequestStreamHandler(service, workers, alerts, uploads, limits));
                    }
                });
        if (epoll) codec.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, QuicSettings.segmentedAllocator());
        ChannelHandler quic = codec.build();
        byte[] fp = identity.fingerprint();
        Bootstrap b = QuicSettings.udp(new Bootstrap().group(g), epoll);
        if (epoll) b.option(EpollChannelOption.UDP_GRO, true);
        // Netty's epoll socket turns IP(V6)_MULTICAST_ALL off, so it would not hear discovery probes sent to ff02::1
        // (every host is in that group, but this socket never joined it); the plain JDK and NIO sockets hear them.
        if (epoll) b.option(EpollChannelOption.IP_MULTICAST_ALL, true);
        b.handler(new ChannelInitializer<DatagramChannel>() {
            @Override
            protected void initChannel(DatagramChannel ch) {
                ch.pipeline().addLast(new UnvalidatedTrafficFilter(unvalidated, retries));
                ch.pipeline().addLast(new DiscoveryHandler(() -> new Discovery.Reply(0, name, port, version, fp), Clock.systemUTC(), flood, unvalidated));
                ch.pipeline().addLast(quic);
            }
        });
        return b;
    }

    /** Alert subscriptions live on this node (a metric). */
    public int alertSubscriptions() {
        return alerts.subscriptionCount();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** QUIC connections admitted and open now. */
    int openConnections() {
        return connections.open();
    }

    /** Bytes of the server-wide pre-authentication pool in use now. */
    long preAuthFrameBytes() {
        return frames.used();
    }

    /** Bytes held in unfinished request frames (and early upload bytes) now, authenticated or not. */
    long heldFrameBytes() {
        return frames.held();
    }

    /** What addresses not validated sent and were sent, so far. */
    public UnvalidatedTraffic.Snapshot unvalidatedTraffic() {
        return unvalidated.snapshot();
    }

    /** Connections in their handshake now. */
    int halfOpenConnections() {
        return halfOpen.open();
    }

    /** The event loop in use now. */
    EventLoopGroup eventLoop() {
        return group;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            // Close the UDP channel last so CONNECTION_CLOSE frames still leave (netty#16718).
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        workers.shutdownNow();
        log.info("{}", unvalidated.snapshot());
    }

    /**
     * Connection-level handler: admits a connection against the connection limits once its handshake is done
     * (the Retry token has validated its address by then) and keeps its {@link ConnectionState}; as a
     * {@link KeepAliveFilter}, it swallows keep-alive DATAGRAMs and passes streams on to their pipelines.
     */
    @ChannelHandler.Sharable
    private static final class ConnectionHandler extends KeepAliveFilter {
        private final CpiLimits limits;
        private final ConnectionLimiter connections;
        private final ConnectionState.FrameMemory frames;

        ConnectionHandler(CpiLimits limits, ConnectionLimiter connections, ConnectionState.FrameMemory frames) {
            this.limits = limits;
            this.connections = connections;
            this.frames = frames;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.channel().attr(ConnectionState.KEY).setIfAbsent(new ConnectionState(limits, frames));
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            QuicChannel quic = (QuicChannel) ctx.channel();
            ConnectionState state = quic.attr(ConnectionState.KEY).get();
            if (quic.remoteSocketAddress() instanceof InetSocketAddress peer && state.admitted == null) {
                String refusal = connections.admit(peer.getAddress());
                if (refusal != null) {
                    log.info("refused a CPI connection: {}", refusal);
                    // The application error code is the CPI error number; the reason says which limit.
                    quic.close(true, ErrorCode.BUSY.number(), Unpooled.copiedBuffer(refusal, StandardCharsets.UTF_8));
                    return;
                }
                state.admitted = peer.getAddress();
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ConnectionState state = ctx.channel().attr(ConnectionState.KEY).get();
            if (state != null && state.admitted != null) {
                connections.leave(state.admitted);
                state.admitted = null;
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("connection failed: {}", cause.toString());
            super.exceptionCaught(ctx, cause);
        }
    }
}
