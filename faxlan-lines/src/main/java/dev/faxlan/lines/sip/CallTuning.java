package dev.faxlan.lines.sip;

import java.time.Duration;

/**
 * How one line's T.38 calls are tuned to its trunk: what field practice found gateways to need
 * ({@code line.<name>.t38-*} and {@code bye-grace}, see docs/lines.md "Carrier hardening").
 *
 * @param indicatorRepeats copies of each T.38 indicator packet, 1 to 10 (spandsp sends 3): a lost
 *     CED or V.21-preamble indicator then costs nothing
 * @param redundancy earlier IFPs repeated in each UDPTL packet we send (0 to 8), when the far end
 *     takes redundancy
 * @param ourMaxDatagram the T38FaxMaxDatagram we announce, 100 to 1400: the largest UDPTL packet we take
 * @param peerMaxDatagram the far end's T38FaxMaxDatagram as we honour it instead of what its SDP
 *     says (vendors that announce a wrong value), or 0 to take its SDP's
 * @param datagramMeaning how the far end's T38FaxMaxDatagram is read
 * @param byeGrace how long, as receiver, we wait after the sender's DCN for its BYE before we send ours
 * @param ignoreEarlyMedia whether an outbound audio call ignores the media of provisional answers (183 with SDP) and starts
 *     its fax only with the 200 (the default); false starts it on the first provisional answer that names G.711
 */
public record CallTuning(int indicatorRepeats, int redundancy, int ourMaxDatagram, int peerMaxDatagram, DatagramMeaning datagramMeaning,
        Duration byeGrace, boolean ignoreEarlyMedia) {
    public static final int DEFAULT_INDICATOR_REPEATS = 3;
    public static final int DEFAULT_REDUNDANCY = 3;
    public static final int DEFAULT_OUR_MAX_DATAGRAM = 400;
    public static final Duration DEFAULT_BYE_GRACE = Duration.ofSeconds(5);
    /** Below any Ethernet path's MTU with IP and UDP headers: the packet limit when the far end's value limits IFPs only. */
    public static final int MTU_SAFE_DATAGRAM = 1400;
    public static final CallTuning DEFAULTS = new CallTuning(DEFAULT_INDICATOR_REPEATS, DEFAULT_REDUNDANCY, DEFAULT_OUR_MAX_DATAGRAM, 0,
            DatagramMeaning.UDPTL, DEFAULT_BYE_GRACE, true);

    /** Early media ignored, as by default. */
    public CallTuning(int indicatorRepeats, int redundancy, int ourMaxDatagram, int peerMaxDatagram, DatagramMeaning datagramMeaning,
            Duration byeGrace) {
        this(indicatorRepeats, redundancy, ourMaxDatagram, peerMaxDatagram, datagramMeaning, byeGrace, true);
    }

    /** These settings with early media ignored or not. */
    public CallTuning withIgnoreEarlyMedia(boolean ignore) {
        return new CallTuning(indicatorRepeats, redundancy, ourMaxDatagram, peerMaxDatagram, datagramMeaning, byeGrace, ignore);
    }

    /** What T38FaxMaxDatagram limits: vendors read it both ways. */
    public enum DatagramMeaning {
        /** The whole UDPTL packet, redundancy included (T.38 Annex D; spandsp, Asterisk): the strict reading. */
        UDPTL,
        /** One IFP (some gateways): the packet around it, redundancy included, may be larger, up to {@link #MTU_SAFE_DATAGRAM}. */
        IFP
    }

    public CallTuning {
        if (indicatorRepeats < 1 || indicatorRepeats > 10) throw new IllegalArgumentException("indicator repeats must be 1 to 10, not " + indicatorRepeats);
        if (redundancy < 0 || redundancy > 8) throw new IllegalArgumentException("redundancy must be 0 to 8, not " + redundancy);
        if (ourMaxDatagram < 100 || ourMaxDatagram > MTU_SAFE_DATAGRAM) {
            throw new IllegalArgumentException("our T38FaxMaxDatagram must be 100 to " + MTU_SAFE_DATAGRAM + ", not " + ourMaxDatagram);
        }
        if (peerMaxDatagram != 0 && (peerMaxDatagram < 100 || peerMaxDatagram > MTU_SAFE_DATAGRAM)) {
            throw new IllegalArgumentException("the far end's T38FaxMaxDatagram override must be 100 to " + MTU_SAFE_DATAGRAM + ", not " + peerMaxDatagram);
        }
        if (datagramMeaning == null) throw new IllegalArgumentException("datagram meaning missing");
        if (byeGrace == null || byeGrace.isNegative() || byeGrace.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("bye grace must be 0 to 60 s, not " + byeGrace);
        }
    }

    /**
     * The largest UDPTL packet we send to a far end whose SDP says {@code remote}: its T38FaxMaxDatagram
     * (or our override of it, as {@link T38Sdp#peerMaxDatagram} reads a missing or absurd one), as the
     * whole packet; or, read as an IFP limit, the MTU-safe size, so redundancy is not cut away.
     */
    public int sendLimit(T38Sdp.Params remote) {
        int peer = peerMaxDatagram > 0 ? peerMaxDatagram : T38Sdp.peerMaxDatagram(remote);
        return datagramMeaning == DatagramMeaning.UDPTL ? peer : Math.max(peer, MTU_SAFE_DATAGRAM);
    }

    /** Redundancy towards a far end whose SDP says {@code remote}: none when it takes none. */
    public int redundancyFor(T38Sdp.Params remote) {
        return remote.ec() == T38Sdp.Ec.NONE ? 0 : redundancy;
    }
}
