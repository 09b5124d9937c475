package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.sdk.FaxlanClient;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security finding 3 end to end: a server in its own JVM with a 256 MiB heap is flooded with request
 * frames that never complete, from 50 connections, then with 320 MiB sent after complete request frames.
 * A logged-in client is served during and after the flood, and the server keeps every kind of thread it started.
 */
class CpiFloodIT {
    static final String ADMIN_PW = "flood-admin-pw-1";
    static final int CONNECTIONS = 50;
    /** Streams per connection, each with an unfinished frame of about 1 MiB: 300 MiB offered to a 256 MiB heap. */
    static final int STREAMS = 6;
    /** MiB sent after a complete request frame on each of 10 streams. */
    static final int TRAILING_MIB = 32;
    /** Threads that come and go by design: JIT compilers and GC workers, the connection pool's adder, the dispatcher's idle call threads. */
    static final List<String> TRANSIENT = List.of("C1 Compiler", "C2 Compiler", "Sweeper", "GC Thread", "G1 ", "Attach Listener", "process reaper",
            "faxlan-db:conne");
    @TempDir
    Path dir;
    Process server;
    EventLoopGroup group;

    @AfterEach
    void stop() {
        if (group != null) group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (server != null) server.destroyForcibly();
    }

    @Test
    void aFloodOfUnfinishedFramesLeavesTheServerServingAndWithAllItsThreads() throws Exception {
        Path out = dir.resolve("server.out");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dlogback.configurationFile=logback.xml", "-cp", System.getProperty("java.class.path"), "dev.faxlan.launcher.Launcher",
                "server", "--data", dir.resolve("data").toString(), "--bind", "127.0.0.1", "--port", "0", "--name", "flood-it"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("FAXLAN_ADMIN_PASSWORD", ADMIN_PW);
        server = pb.start();
        // Port 0: the server binds a free port itself and prints it, so no port is picked ahead and raced for.
        Pattern listening = Pattern.compile("listening on udp /127\\.0\\.0\\.1:(\\d+)");
        int port = await().atMost(Duration.ofSeconds(120)).until(() -> {
            assertThat(server.isAlive()).as("server exited: %s", read(out)).isTrue();
            Matcher m = listening.matcher(read(out));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        }, p -> p > 0);

        try (FaxlanClient client = client(port)) {
            assertThat(client.login()).isEqualTo("admin");
            assertThat(client.jobs(true)).isEmpty();
        }
        Set<String> before = threadKinds(server.pid());

        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        List<QuicChannel> attackers = new ArrayList<>();
        Map<QuicChannel, AtomicInteger> answered = new ConcurrentHashMap<>();
        ByteBuf junk = Unpooled.unreleasableBuffer(Unpooled.directBuffer(CpiCodec.MAX_FRAME).writeZero(CpiCodec.MAX_FRAME - 1));
        for (int i = 0; i < CONNECTIONS; i++) attackers.add(connect(address));
        for (QuicChannel q : attackers) {
            AtomicInteger answers = answered.computeIfAbsent(q, k -> new AtomicInteger());
            for (int s = 0; s < STREAMS; s++) {
                q.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInboundHandlerAdapter() {
                    boolean heard;

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ((ByteBuf) msg).release();
                        if (!heard) answers.incrementAndGet();
                        heard = true;
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        ctx.close();
                    }
                }).addListener(f -> {
                    if (!f.isSuccess()) return;
                    QuicStreamChannel stream = (QuicStreamChannel) f.getNow();
                    // A frame announcing 1 MiB that stops one byte short.
                    stream.write(Unpooled.wrappedBuffer(new byte[] {0, 0x10, 0, 0}));
                    stream.writeAndFlush(junk.retainedDuplicate());
                });
            }
        }
        // The flood is delivered when each connection has sent all its bytes or had every stream answered (refused).
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            for (QuicChannel q : attackers) {
                if (answered.get(q).get() == STREAMS) continue;
                if (q.collectStats().get(5, TimeUnit.SECONDS).sentBytes() < (long) STREAMS * CpiCodec.MAX_FRAME) return false;
            }
            return true;
        });

        // During the flood: a client logs in and is answered.
        try (FaxlanClient client = client(port)) {
            assertThat(client.login()).isEqualTo("admin");
            assertThat(client.jobs(true)).isEmpty();
        }
        assertThat(server.isAlive()).isTrue();
        Set<String> during = threadKinds(server.pid());

        attackers.forEach(QuicChannel::close);

        // Then bytes after a complete request frame: 10 streams each carry a login request and 32 MiB more,
        // 320 MiB in all; the server must drop them, not keep them. A login (PBKDF2) keeps a worker busy a
        // while, so the bytes arrive before the response goes out.
        List<QuicChannel> trailing = new ArrayList<>();
        for (int i = 0; i < 10; i++) trailing.add(connect(address));
        byte[] login = CpiCodec.encode(new Message.Request(1, Op.LOGIN, null, null, Fields.builder().put("user", "admin").put("password", ADMIN_PW).build()));
        for (QuicChannel q : trailing) {
            QuicStreamChannel stream = q.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ((ByteBuf) msg).release();
                }
            }).sync().getNow();
            stream.write(Unpooled.wrappedBuffer(login));
            for (int i = 0; i < TRAILING_MIB; i++) stream.write(junk.retainedDuplicate());
            stream.flush();
        }
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            for (QuicChannel q : trailing) {
                if (q.collectStats().get(5, TimeUnit.SECONDS).sentBytes() < (long) TRAILING_MIB * (CpiCodec.MAX_FRAME - 1)) return false;
            }
            return true;
        });
        assertThat(server.isAlive()).isTrue();
        trailing.forEach(QuicChannel::close);

        try (FaxlanClient client = client(port)) {
            assertThat(client.login()).isEqualTo("admin");
            assertThat(client.info().name()).isEqualTo("flood-it");
        }
        Set<String> after = threadKinds(server.pid());
        // The CPI event loop and workers, housekeeping, the dispatcher's ticker, the fax call scheduler, the loopback line
        // (H2 has no writer thread: commits are written before they return, WRITE_DELAY=0).
        assertThat(before).as("threads before the flood (%s)", before)
                .contains("cpi-io-1-", "cpi-worker-", "housekeeping-", "dispatch-tick", "fax-calls", "faxlan-loopback");
        Set<String> lasting = new TreeSet<>(before);
        lasting.removeIf(kind -> kind.equals("dispatch") || TRANSIENT.stream().anyMatch(kind::startsWith));
        assertThat(during).as("threads during the flood").containsAll(lasting);
        assertThat(after).as("threads after the flood").containsAll(lasting);
        assertThat(read(out)).doesNotContain("OutOfMemoryError").doesNotContain("died");
    }

    private static FaxlanClient client(int port) {
        return FaxlanClient.builder().server("127.0.0.1", port).user("admin").password(ADMIN_PW.toCharArray()).timeout(Duration.ofSeconds(60)).build();
    }

    /** The names of the process's threads with their numbers dropped: "cpi-worker-3" counts as "cpi-worker-". */
    private static Set<String> threadKinds(long pid) throws IOException {
        Set<String> kinds = new TreeSet<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    kinds.add(Files.readString(t.resolve("comm")).trim().replaceAll("\\d+$", ""));
                } catch (IOException gone) {
                    // a thread that ended while listed
                }
            }
        }
        return kinds;
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }

    private QuicChannel connect(InetSocketAddress server) throws Exception {
        var ssl = QuicSslContextBuilder.forClient().trustManager(new TrustAll()).applicationProtocols(CpiCodec.ALPN).build();
        var codec = new QuicClientCodecBuilder().sslContext(ssl).maxIdleTimeout(60, TimeUnit.SECONDS)
                .initialMaxData(64L << 20).initialMaxStreamDataBidirectionalLocal(4L << 20).initialMaxStreamDataBidirectionalRemote(4L << 20)
                .initialMaxStreamsBidirectional(256).datagram(64, 64).build();
        Channel udp = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec).bind(0).sync().channel();
        QuicChannel q = QuicChannel.newBootstrap(udp).handler(new ChannelInboundHandlerAdapter()).streamHandler(new ChannelInboundHandlerAdapter())
                .remoteAddress(server).connect().get(30, TimeUnit.SECONDS);
        q.closeFuture().addListener(x -> udp.close());
        return q;
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
