package dev.faxlan.cli;

import dev.faxlan.cli.relay.CpiRelay;
import dev.faxlan.cli.relay.RelaySettings;
import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.Fingerprint;
import dev.faxlan.protocol.HostPort;
import dev.faxlan.sdk.FaxlanException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(mixinStandardHelpOptions = true, name = "relay", description = {
        "Forward CPI between clients and a server they cannot reach: a CPI proxy for firewalled networks.",
        "Clients use the relay's address as their server; the encrypted traffic passes unread, and clients still pin the server's own identity.",
        "Answers discovery probes on the server's behalf, so 'faxlan servers --discover' finds the server through the relay.",
        "Runs until stopped (SIGTERM or Ctrl-C)."})
final class RelayCommand implements Callable<Integer> {
    @Option(names = "--listen", required = true, paramLabel = "ADDR[:PORT]", description = "where clients send to (port default: 4644; 0: any free port, printed at start); "
            + "a specific IPv4 address also answers broadcast discovery on its subnet")
    String listen;

    @Option(names = "--server", required = true, paramLabel = "HOST[:PORT]", description = "the faxlan server behind the relay (port default: 4644)")
    String server;

    @Option(names = "--max-flows", paramLabel = "N", defaultValue = "" + RelaySettings.DEFAULT_MAX_FLOWS,
            description = "client flows (address and port) at once; new ones beyond are dropped, existing ones never (default: ${DEFAULT-VALUE})")
    int maxFlows;

    @Override
    public Integer call() throws Exception {
        if (maxFlows < 1) throw new FaxlanException("--max-flows must be at least 1, not " + maxFlows, 2);
        // ":0" asks the system for a free port (printed once bound); HostPort itself takes only 1..65535.
        boolean anyPort = listen.strip().endsWith(":0");
        InetSocketAddress listenAt = resolve("--listen", anyPort ? listen.strip().substring(0, listen.strip().length() - 2) : listen, 2);
        if (anyPort) listenAt = new InetSocketAddress(listenAt.getAddress(), 0);
        InetSocketAddress serverAt = resolve("--server", server, 4);
        CpiRelay relay;
        try {
            relay = CpiRelay.start(RelaySettings.of(listenAt, serverAt, maxFlows), id -> System.out.println(
                    "server \"" + id.name() + "\" (faxlan " + id.version() + ") identity " + Fingerprint.format(id.fingerprint())));
        } catch (IOException e) {
            throw new FaxlanException(e.getMessage(), 1);
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            CpiRelay.Stats s = relay.stats();
            System.out.println("faxlan relay stopping: " + s.flows() + " flows open, " + s.flowsOpened() + " opened, " + s.flowsRefused()
                    + " refused (table full), " + s.flowsExpired() + " expired; datagrams " + s.datagramsToServer() + " to the server, "
                    + s.datagramsToClients() + " to clients; dropped " + s.droppedUnanswered() + " (client had not answered), "
                    + s.droppedBusy() + " (send queue full); discovery replies " + s.discoveryReplies() + ", " + s.discoveryRateLimited() + " over the rate limit");
            relay.close();
            stop.countDown();
        }, "relay-stop"));
        System.out.println("faxlan relay listening on udp " + hostPort(relay.address()) + ", forwarding to " + hostPort(serverAt)
                + " (at most " + maxFlows + " flows; idle flows expire after " + RelaySettings.IDLE_TIMEOUT.toSeconds() + " s)");
        System.out.flush();
        stop.await();
        return 0;
    }

    private static InetSocketAddress resolve(String option, String text, int unresolvedExit) {
        HostPort hp;
        try {
            hp = HostPort.parseLenient(text, CpiCodec.DEFAULT_PORT);
        } catch (IllegalArgumentException e) {
            throw new FaxlanException("bad " + option + " address: " + e.getMessage(), 2);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(hp.host()), hp.port());
        } catch (UnknownHostException e) {
            throw new FaxlanException("cannot resolve " + hp.host(), unresolvedExit);
        }
    }

    private static String hostPort(InetSocketAddress a) {
        return new HostPort(a.getAddress().getHostAddress(), a.getPort()).toString();
    }
}
