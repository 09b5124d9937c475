package dev.faxlan.server.cpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faxlan.protocol.Message;
import dev.faxlan.server.cpi.abuse.FloodLimits;
import dev.faxlan.server.cpi.operation.CpiService;
import dev.faxlan.server.identity.ServerIdentity;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import dev.faxlan.transport.QuicSettings;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Half-open exhaustion against a real server: clients whose handshakes never complete (a relay passes
 * them the server's Retry and nothing after it) hold at most {@code maxHalfOpen} connections; more are
 * refused; once they go silent the handshake deadline, not the 60 s idle timeout, frees the slots, and a
 * normal client is served.
 */
class HalfOpenConnectionsTest {
    static final int MAX_HALF_OPEN = 3;
    @TempDir
    Path dir;
    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) toClose.get(i).close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Forwards clients' datagrams to the server; of the server's, only Retry packets; nothing once silenced. */
    static final class StallingRelay implements AutoCloseable {
        final DatagramSocket front = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        final Map<SocketAddress, DatagramSocket> upstream = new ConcurrentHashMap<>();
        final InetSocketAddress server;
        volatile boolean silent;

        StallingRelay(InetSocketAddress server) throws SocketException {
            this.server = server;
            Thread t = new Thread(this::clientsToServer, "relay-in");
            t.setDaemon(true);
            t.start();
        }

        private void clientsToServer() {
            byte[] buf = new byte[2048];
            while (!front.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    front.receive(p);
                    if (silent) continue;
                    SocketAddress client = p.getSocketAddress();
                    DatagramSocket up = upstream.computeIfAbsent(client, c -> open(c));
                    up.send(new DatagramPacket(p.getData(), p.getLength(), server));
                } catch (Exception e) {
                    return;
                }
            }
        }

        private DatagramSocket open(SocketAddress client) {
            try {
                DatagramSocket up = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                Thread t = new Thread(() -> {
                    byte[] buf = new byte[2048];
                    while (!up.isClosed()) {
                        try {
                            DatagramPacket p = new DatagramPacket(buf, buf.length);
                            up.receive(p);
                            boolean retry = (buf[0] & 0xf0) == 0xf0;
                            if (retry && !silent) front.send(new DatagramPacket(p.getData(), p.getLength(), client));
                        } catch (Exception e) {
                            return;
                        }
                    }
                }, "relay-out");
                t.setDaemon(true);
                t.start();
                return up;
            } catch (SocketException e) {
                throw new IllegalStateException(e);
            }
        }

        InetSocketAddress address() {
            return (InetSocketAddress) front.getLocalSocketAddress();
        }

        @Override
        public void close() {
            front.close();
            upstream.values().forEach(DatagramSocket::close);
        }
    }

    @Test
    void abandonedHandshakesAreCappedAndExpireByTheirDeadline() throws Exception {
        ServerIdentity identity = ServerIdentity.loadOrCreate(dir.resolve("keys"), "half-open");
        Database db = Database.embedded(dir);
        toClose.add(db);
        CpiService service = new CpiService(db, new Spool(dir.resolve("spool")), Clock.systemUTC(), "half-open", "0.1.0-test", identity.fingerprint(), 1 << 20);
        service.bootstrapAdmin(CpiTestServer.ADMIN_PW);
        FloodLimits flood = FloodLimits.DEFAULTS.withMaxHalfOpen(MAX_HALF_OPEN).withHandshakeDeadline(Duration.ofSeconds(2));
        CpiServer server = CpiServer.start(new InetSocketAddress("127.0.0.1", 0), identity, service, "half-open", "0.1.0-test", CpiLimits.defaults(), flood);
        toClose.add(server);
        StallingRelay relay = new StallingRelay(server.localAddress());
        toClose.add(relay);

        AtomicInteger most = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                most.accumulateAndGet(server.halfOpenConnections(), Math::max);
                LockSupport.parkNanos(1_000_000); // a sampling period, not a wait for a condition
            }
        }, "half-open-sampler");
        sampler.setDaemon(true);
        sampler.start();
        List<Thread> stalled = new ArrayList<>();
        for (int i = 0; i < 2 * MAX_HALF_OPEN; i++) {
            Thread t = new Thread(() -> {
                try {
                    RawCpiClient.connect(group, relay.address()).close();
                } catch (Exception expected) {
                    // the handshake cannot complete through the relay
                }
            }, "stalled-" + i);
            t.setDaemon(true);
            t.start();
            stalled.add(t);
        }
        await("the cap reached").atMost(Duration.ofSeconds(60)).until(() -> server.halfOpenConnections() == MAX_HALF_OPEN);
        await("Initials with good tokens refused").atMost(Duration.ofSeconds(60)).until(() -> server.unvalidatedTraffic().refusedConnections() > 0);

        relay.silent = true;
        await("handshakes abandoned by the deadline, well before the idle timeout")
                .atMost(Duration.ofSeconds(QuicSettings.IDLE_TIMEOUT_SECONDS / 2)).until(() -> server.halfOpenConnections() == 0);
        sampler.interrupt();
        assertThat(most.get()).as("half-open connections at most").isEqualTo(MAX_HALF_OPEN);

        RawCpiClient direct = RawCpiClient.connect(group, server.localAddress());
        toClose.add(direct);
        Message answer = CpiTestServer.login(direct);
        assertThat(answer).isInstanceOf(Message.Ok.class);
        for (Thread t : stalled) t.join(30_000);
    }
}
