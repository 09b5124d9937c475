package dev.faxlan.it;

import dev.faxlan.lines.LinesConfig;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import dev.faxlan.testkit.PortRetry;
import java.net.InetAddress;
import java.util.Properties;

/**
 * Fax lines for tests that submit to outside numbers: the loopback line and a SIP trunk on
 * 127.0.0.1 that takes every +1 555 number (country code 1), so {@code submit} accepts them. The
 * trunk does not register and its proxy is the discard port: a job to it that comes due is dialled
 * and fails, so tests that want a job to stay queued schedule it with {@link #LATER}.
 */
final class TestTrunk {
    /** A send-at time far enough ahead that the job stays queued for the whole test. */
    static final String LATER = "2099-01-01T00:00:00Z";

    private TestTrunk() {}

    /**
     * Starts a server with these lines. SIP lines take no port 0, so the trunk's port is one free a
     * moment ago: if another program takes it first, the server is started again with a fresh one.
     */
    static FaxlanServer start(ServerConfig config) throws Exception {
        return PortRetry.onAddressInUse("server with the test trunk", attempt -> FaxlanServer.start(config.withLines(lines())));
    }

    /** As {@link #start(ServerConfig)}, the loopback line at {@link FastLoopback#SPEED}. */
    static FaxlanServer startWithFastLoopback(ServerConfig config) throws Exception {
        return PortRetry.onAddressInUse("server with the test trunk", attempt -> FaxlanServer.start(config.withLines(FastLoopback.lines(settings()))));
    }

    static LinesConfig lines() {
        return LinesConfig.parse(settings());
    }

    private static Properties settings() {
        Properties p = new Properties();
        p.setProperty("numbers.country-code", "1");
        p.setProperty("sip.bind", "127.0.0.1");
        p.setProperty("sip.port", Integer.toString(PortRetry.freeUdp(InetAddress.getLoopbackAddress())));
        p.setProperty("line.test.registrar", "127.0.0.1:9");
        p.setProperty("line.test.register", "false");
        p.setProperty("line.test.user", "15550000");
        p.setProperty("line.test.number", "+15550000");
        p.setProperty("line.test.route", "+1555");
        return p;
    }
}
