package dev.faxlan.cli.relay;

import dev.faxlan.protocol.discovery.Discovery;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code faxlan relay}: forwards CPI's UDP datagrams between clients and one server, one upstream
 * socket per client flow, in both directions (so the server's alerts reach the client on the flow
 * it opened), and answers discovery probes on the server's behalf (see {@link DiscoveryAgent}).
 *
 * <p>It never looks into QUIC beyond the first byte of a client's datagram (its header form and
 * type, which QUIC leaves unencrypted), so it can neither read nor alter CPI: TLS runs between the
 * client and the server, and the client pins the server's certificate. Everything runs on one
 * event loop; its flows are bounded by {@link FlowTable}.
 */
public final class CpiRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CpiRelay.class);
    /** Larger than any CPI datagram (1452) or discovery probe a client sends; a longer datagram is cut and fails its checks. */
    static final int MAX_DATAGRAM = 2048;
    /** Datagrams one read takes on epoll (recvmmsg): the relay's cost is per system call, not per byte. */
    private static final int DATAGRAMS_PER_READ = 16;
    /** Client datagrams of all flows arrive on the listening socket: room for bursts (capped by rmem_max). */
    private static final int LISTEN_BUFFER = 4 << 20;
    /** One flow's upstream socket; also the most kernel memory its unread datagrams can hold (capped by rmem_max). */
    static final int UPSTREAM_BUFFER = 256 << 10;
    private static final long TICK_MILLIS = 1000;

    /** Counters since the start, read on the relay's event loop. */
    public record Stats(int flows, long flowsOpened, long flowsRefused, long flowsExpired, long datagramsToServer, long datagramsToClients,
                        long droppedUnanswered, long droppedBusy, long discoveryReplies, long discoveryRateLimited) {}

    private final RelaySettings settings;
    private final Consumer<Discovery.Reply> onIdentity;
    private final boolean epoll = Epoll.isAvailable();
    private final EventLoopGroup group;
    private final FlowTable<ChannelFuture> flows;
    /** Made once the listening port is known; a probe before that goes unanswered. */
    private volatile DiscoveryAgent discovery;
    private final Bootstrap upstream;
    private Channel listen;
    private Channel broadcast;
    private Channel identityChannel;
    private long lastProbeNanos;
    /** Upstream channels written to during the current read of the listening socket, flushed when it ends. */
    private final java.util.Set<Channel> upstreamToFlush = new java.util.LinkedHashSet<>();
    private boolean listenToFlush;
    private long flowsOpened, flowsExpired, toServer, toClients, droppedUnanswered, droppedBusy, discoveryReplies;

    private CpiRelay(RelaySettings settings, Consumer<Discovery.Reply> onIdentity) {
        this.settings = settings;
        this.onIdentity = onIdentity;
        this.group = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.flows = new FlowTable<>(settings.maxFlows(), settings.idleTimeout(), settings.unansweredTimeout());
        this.upstream = udp(new Bootstrap(), UPSTREAM_BUFFER)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 << 10, 256 << 10));
    }

    /**
     * Binds the listening socket (and, for a specific IPv4 address, its subnet's broadcast address,
     * so broadcast discovery finds the relay), starts asking the server who it is, and returns.
     * {@code onIdentity} hears the server's identity when it is first learned and whenever it changes.
     *
     * @throws IOException when the listening address cannot be bound (in use, not local)
     */
    public static CpiRelay start(RelaySettings settings, Consumer<Discovery.Reply> onIdentity) throws IOException {
        CpiRelay r = new CpiRelay(settings, onIdentity);
        try {
            r.bind();
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    private void bind() throws IOException {
        listen = sync(udp(new Bootstrap(), LISTEN_BUFFER)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .handler(new FromClients(true)).bind(settings.listen()), "listen on " + show(settings.listen()));
        // The port clients are told is the one bound (--listen ADDR:0 lets the system choose it).
        discovery = new DiscoveryAgent(address().getPort(), settings.identityRefresh().toNanos() * 3);
        InetAddress subnetBroadcast = broadcastOf(settings.listen().getAddress());
        if (subnetBroadcast != null) {
            try {
                broadcast = sync(udp(new Bootstrap(), 64 << 10).handler(new FromClients(false))
                        .bind(new InetSocketAddress(subnetBroadcast, settings.listen().getPort())), "listen on " + show(new InetSocketAddress(subnetBroadcast, settings.listen().getPort())));
            } catch (IOException e) {
                LOG.warn("broadcast discovery is off: {}; clients find the relay by unicast probe or add it by address", e.getMessage());
            }
        }
        identityChannel = sync(udp(new Bootstrap(), 64 << 10).handler(new FromServerIdentity()).connect(settings.server()),
                "reach " + show(settings.server()));
        group.scheduleAtFixedRate(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static String show(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private Bootstrap udp(Bootstrap b, int receiveBuffer) {
        b.group(group).channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, receiveBuffer)
                .option(ChannelOption.SO_SNDBUF, receiveBuffer);
        if (!epoll) return b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
        // A buffer of 16 datagram slots makes Netty read with recvmmsg, 16 datagrams per system call.
        return b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * DATAGRAMS_PER_READ));
    }

    private static Channel sync(ChannelFuture f, String what) throws IOException {
        f.awaitUninterruptibly();
        if (f.isSuccess()) return f.channel();
        Throwable c = f.cause();
        throw new IOException("cannot " + what + ": " + (c.getMessage() != null ? c.getMessage() : c.toString()), c);
    }

    /** The broadcast address of the IPv4 subnet that {@code a} is on, or null (wildcard, IPv6, none). */
    private static InetAddress broadcastOf(InetAddress a) throws SocketException {
        if (!(a instanceof Inet4Address) || a.isAnyLocalAddress() || a.isLoopbackAddress()) return null;
        NetworkInterface nif = NetworkInterface.getByInetAddress(a);
        if (nif == null) return null;
        for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
            // An address added without a broadcast address reports 0.0.0.0: there is no broadcast to hear.
            if (ia.getAddress().equals(a) && ia.getBroadcast() != null && !ia.getBroadcast().isAnyLocalAddress()) return ia.getBroadcast();
        }
        return null;
    }

    /** Where clients send to. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listen.localAddress();
    }

    /** The server's identity as it last answered the relay's probe, if recently. */
    public Optional<Discovery.Reply> serverIdentity() {
        return onLoop(() -> discovery.identity(System.nanoTime()));
    }

    public Stats stats() {
        return onLoop(() -> new Stats(flows.size(), flowsOpened, flows.refused(), flowsExpired, toServer, toClients,
                droppedUnanswered, droppedBusy, discoveryReplies, discovery.refusedProbes()));
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> c) {
        try {
            return group.submit(c).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the relay's event loop did not answer", e);
        }
    }

    /** Once a second: expire idle flows, and ask the server who it is when due. */
    private void tick() {
        long now = System.nanoTime();
        for (Flow<ChannelFuture> f : flows.expire(now)) {
            f.upstream.channel().close();
            flowsExpired++;
        }
        boolean known = discovery.identity(now).isPresent();
        if (!known || now - lastProbeNanos >= settings.identityRefresh().toNanos()) {
            lastProbeNanos = now;
            identityChannel.writeAndFlush(Unpooled.wrappedBuffer(discovery.nextProbe()));
        }
    }

    /** Datagrams on the listening socket (CPI and discovery) or on the broadcast socket (discovery only). */
    private final class FromClients extends SimpleChannelInboundHandler<DatagramPacket> {
        private final boolean forwards;

        FromClients(boolean forwards) {
            this.forwards = forwards;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            ByteBuf data = p.content();
            if (!data.isReadable()) return;
            int first = data.getUnsignedByte(data.readerIndex());
            if (Discovery.isDiscovery(first)) {
                DiscoveryAgent discovery = CpiRelay.this.discovery;
                if (discovery == null) return;
                int length = data.readableBytes();
                discovery.answer(ByteBufUtil.getBytes(data), length, System.nanoTime()).ifPresent(reply -> {
                    discoveryReplies++;
                    listen.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply), p.sender()));
                });
            } else if (forwards) {
                toServer(p.sender(), data, first);
            }
        }

        /** One flush per upstream socket per read batch, so Netty can send its datagrams with one sendmmsg. */
        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            for (Channel ch : upstreamToFlush) ch.flush();
            upstreamToFlush.clear();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("client side: {}", cause.toString());
        }
    }

    private void toServer(InetSocketAddress client, ByteBuf data, int firstByte) {
        long now = System.nanoTime();
        Flow<ChannelFuture> flow = flows.get(client);
        if (flow == null) {
            flow = flows.open(client, this::openUpstream, now);
            if (flow == null) return;
            flowsOpened++;
        }
        flow.fromClient(data.readableBytes(), firstByte, now);
        ChannelFuture up = flow.upstream;
        ByteBuf copy = data.retain();
        if (up.isDone()) {
            send(up, copy);
        } else {
            // Connected later, outside this read batch: flush at once.
            up.addListener(f -> {
                send(up, copy);
                up.channel().flush();
            });
        }
    }

    private void send(ChannelFuture up, ByteBuf data) {
        Channel ch = up.channel();
        if (!up.isSuccess() || !ch.isWritable()) {
            data.release();
            droppedBusy++;
            return;
        }
        toServer++;
        ch.write(data, ch.voidPromise());
        upstreamToFlush.add(ch);
    }

    private ChannelFuture openUpstream(InetSocketAddress client) {
        return upstream.clone().handler(new FromServer(client)).connect(settings.server());
    }

    /** The server's datagrams on one flow's upstream socket (connected: nothing else arrives there). */
    private final class FromServer extends SimpleChannelInboundHandler<DatagramPacket> {
        private final InetSocketAddress client;

        FromServer(InetSocketAddress client) {
            this.client = client;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            Flow<ChannelFuture> flow = flows.get(client);
            if (flow == null || flow.upstream.channel() != ctx.channel()) return;
            int length = p.content().readableBytes();
            if (!flow.mayPassToClient(length, System.nanoTime())) {
                droppedUnanswered++;
                return;
            }
            if (!listen.isWritable()) {
                droppedBusy++;
                return;
            }
            toClients++;
            listen.write(new DatagramPacket(p.content().retain(), client), listen.voidPromise());
            listenToFlush = true;
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (listenToFlush) {
                listenToFlush = false;
                listen.flush();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // e.g. ICMP port unreachable while the server restarts: QUIC retries, the flow stays
            LOG.debug("upstream of {}: {}", client, cause.toString());
        }
    }

    /** The server's answers to the relay's own discovery probes. */
    private final class FromServerIdentity extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            byte[] b = ByteBufUtil.getBytes(p.content());
            discovery.learn(b, b.length, System.nanoTime()).ifPresent(onIdentity);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("identity probe: {}", cause.toString());
        }
    }

    @Override
    public void close() {
        try {
            if (!group.isShuttingDown()) {
                group.submit(() -> {
                    for (Flow<ChannelFuture> f : flows.clear()) f.upstream.channel().close();
                }).awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
            for (Channel c : new Channel[] {broadcast, identityChannel, listen}) if (c != null) c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
