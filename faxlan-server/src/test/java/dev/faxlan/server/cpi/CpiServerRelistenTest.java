package dev.faxlan.server.cpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faxlan.protocol.Message;
import dev.faxlan.server.identity.ServerIdentity;
import dev.faxlan.server.cpi.operation.CpiService;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpiServerRelistenTest {
    @TempDir
    Path dir;

    @Test
    void anEventLoopThatEndsUnaskedIsReplacedOnTheSamePort() throws Exception {
        ServerIdentity identity = ServerIdentity.loadOrCreate(dir.resolve("keys"), "relisten-test");
        EventLoopGroup clients = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (Database db = Database.embedded(dir)) {
            CpiService service = new CpiService(db, new Spool(dir.resolve("spool")), Clock.systemUTC(), "relisten-test", "0.1.0-test", identity.fingerprint(), 1 << 20);
            service.bootstrapAdmin(CpiTestServer.ADMIN_PW);
            try (CpiServer server = CpiServer.start(new InetSocketAddress("127.0.0.1", 0), identity, service, "relisten-test", "0.1.0-test")) {
                InetSocketAddress address = server.localAddress();
                try (RawCpiClient c = RawCpiClient.connect(clients, address)) {
                    assertThat(CpiTestServer.login(c)).isInstanceOf(Message.Ok.class);
                }
                EventLoopGroup first = server.eventLoop();
                // What an Error rethrown by Netty's epoll loop leads to: the loop terminates without close().
                first.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(30)).until(() -> server.eventLoop() != first);
                assertThat(server.localAddress()).isEqualTo(address);
                try (RawCpiClient c = RawCpiClient.connect(clients, address)) {
                    assertThat(CpiTestServer.login(c)).isInstanceOf(Message.Ok.class);
                }
            }
        } finally {
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
