package dev.faxlan.cli.relay;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What a relay listens on, where it forwards to, and its bounds (docs/protocol.md, "Relays").
 *
 * @param listen where clients send to (their CPI "server" address)
 * @param server the faxlan server behind the relay
 * @param maxFlows client flows at once; a new client beyond them is dropped, existing ones never are
 */
public record RelaySettings(InetSocketAddress listen, InetSocketAddress server, int maxFlows,
                            Duration idleTimeout, Duration unansweredTimeout, Duration identityRefresh) {
    public static final int DEFAULT_MAX_FLOWS = 1000;
    /**
     * Longer than QUIC's idle timeout (60 s), so a flow outlives any connection that could still use it;
     * a connection with alerts sends a keep-alive every 15 s and never gets near it.
     */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(90);
    /** As long as a Retry token is valid (10 s): a client that has not answered by then never will. */
    public static final Duration UNANSWERED_TIMEOUT = Duration.ofSeconds(10);
    /** How often the relay asks the server who it is; an identity three times older than this is dropped. */
    public static final Duration IDENTITY_REFRESH = Duration.ofSeconds(30);

    public RelaySettings {
        if (maxFlows < 1) throw new IllegalArgumentException("--max-flows must be at least 1, not " + maxFlows);
    }

    public static RelaySettings of(InetSocketAddress listen, InetSocketAddress server, int maxFlows) {
        return new RelaySettings(listen, server, maxFlows, IDLE_TIMEOUT, UNANSWERED_TIMEOUT, IDENTITY_REFRESH);
    }
}
