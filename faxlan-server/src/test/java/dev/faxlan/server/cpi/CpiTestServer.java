package dev.faxlan.server.cpi;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A CPI server on 127.0.0.1 with its data in a test's directory and an administrator, and the raw
 * clients a test connects to it; closing it closes them all.
 */
final class CpiTestServer implements AutoCloseable {
    static final String ADMIN_PW = "admin-password-1";

    final CpiServer server;
    final CpiService service;
    final Database db;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<RawCpiClient> clients = new ArrayList<>();

    CpiTestServer(Path dir, String name, CpiLimits limits) throws Exception {
        this(dir, name, limits, Clock.systemUTC());
    }

    /** A server whose sessions age by {@code clock}. */
    CpiTestServer(Path dir, String name, CpiLimits limits, Clock clock) throws Exception {
        this(dir, name, limits, clock, Database.embedded(dir));
    }

    /** A server on {@code db}, which it closes when it is closed. */
    CpiTestServer(Path dir, String name, CpiLimits limits, Clock clock, Database db) throws Exception {
        ServerIdentity identity = ServerIdentity.loadOrCreate(dir.resolve("keys"), name);
        this.db = db;
        try {
            service = new CpiService(db, new Spool(dir.resolve("spool")), clock, name, "0.1.0-test", identity.fingerprint(), 1 << 20);
            service.bootstrapAdmin(ADMIN_PW);
            server = CpiServer.start(new InetSocketAddress("127.0.0.1", 0), identity, service, name, "0.1.0-test", limits);
        } catch (Exception e) {
            group.shutdownGracefully();
            db.close();
            throw e;
        }
    }

    RawCpiClient connect() throws Exception {
        RawCpiClient c = RawCpiClient.connect(group, server.localAddress());
        clients.add(c);
        return c;
    }

    /** The clients connected so far, first one first. */
    List<RawCpiClient> clients() {
        return clients;
    }

    /** Logs in as the administrator on a stream of its own and answers the server's response. */
    static Message login(RawCpiClient c) throws Exception {
        RawCpiClient.Stream s = c.open();
        s.sendLast(CpiCodec.encode(new Message.Request(1, Op.LOGIN, null, null, Fields.builder().put("user", "admin").put("password", ADMIN_PW).build())));
        return s.awaitResponse();
    }

    @Override
    public void close() {
        clients.forEach(RawCpiClient::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        server.close();
        db.close();
    }
}
