package dev.faxlan.server.cpi.abuse;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what the CPI port receives from and sends to addresses it has not validated: discovery probes
 * and replies; QUIC Initials that open no connection (no token, or a token refused) and the Retry and
 * Version Negotiation packets sent for them. What is sent must never exceed what was received: the
 * counters make that visible in the log. Counted on the event loop, read from anywhere.
 */
public final class UnvalidatedTraffic {
    private final AtomicLong datagramsIn = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong datagramsOut = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicLong droppedUndersized = new AtomicLong();
    private final AtomicLong droppedRateLimited = new AtomicLong();
    private final AtomicLong refusedTokens = new AtomicLong();
    private final AtomicLong refusedConnections = new AtomicLong();
    /** The length of the Initial with a token being handed to the QUIC codec now (event loop only). */
    private int initialInFlight;

    /** The figures at one moment. */
    public record Snapshot(long datagramsIn, long bytesIn, long datagramsOut, long bytesOut, long droppedUndersized, long droppedRateLimited,
            long refusedTokens, long refusedConnections) {
        @Override
        public String toString() {
            return "unvalidated sources: received " + datagramsIn + " datagrams (" + bytesIn + " bytes), sent " + datagramsOut + " (" + bytesOut
                    + " bytes); dropped " + droppedUndersized + " undersized Initials, " + droppedRateLimited + " over a per-source rate; refused "
                    + refusedTokens + " Retry tokens, " + refusedConnections + " connections over the handshake limits";
        }
    }

    public Snapshot snapshot() {
        return new Snapshot(datagramsIn.get(), bytesIn.get(), datagramsOut.get(), bytesOut.get(), droppedUndersized.get(), droppedRateLimited.get(),
                refusedTokens.get(), refusedConnections.get());
    }

    void received(int bytes) {
        datagramsIn.incrementAndGet();
        bytesIn.addAndGet(bytes);
    }

    void sent(int bytes) {
        datagramsOut.incrementAndGet();
        bytesOut.addAndGet(bytes);
    }

    void droppedUndersized() {
        droppedUndersized.incrementAndGet();
    }

    public void droppedRateLimited() {
        droppedRateLimited.incrementAndGet();
    }

    void initialWithToken(int bytes) {
        initialInFlight = bytes;
    }

    /** The token of the Initial being handled now was refused: it opened nothing, so its bytes count as unvalidated. */
    public void tokenRefused() {
        refusedTokens.incrementAndGet();
        if (initialInFlight > 0) received(initialInFlight);
        initialInFlight = 0;
    }

    /** The Initial being handled now carried a good token, but the handshake limits refused the connection. */
    public void connectionRefused() {
        refusedConnections.incrementAndGet();
        if (initialInFlight > 0) received(initialInFlight);
        initialInFlight = 0;
    }

    void initialDone() {
        initialInFlight = 0;
    }
}
