package dev.faxlan.engine.fax;

import dev.faxlan.engine.t38.Ifp;
import dev.faxlan.engine.t38.IfpCodec;
import dev.faxlan.engine.t38.T38FormatException;
import dev.faxlan.engine.t38.UdptlReceiver;
import dev.faxlan.engine.t38.UdptlSender;

/**
 * A {@link T38Terminal} on the wire: IFPs encoded in the negotiated T.38 version and carried in UDPTL
 * with redundancy. Datagrams in through {@link #datagram}, out through the {@link PacketPort}; time in
 * through {@link #poll}. Not thread-safe: a {@link CallScheduler} drives it from one thread.
 */
public final class T38Call {
    /**
     * Copies of each indicator packet sent, as spandsp does: a lost CED or V.21-preamble indicator then
     * costs nothing, where with one copy the peer learns of it only from the next packet's redundancy,
     * up to a second later (an indicator is followed by silence or flags, not by packets).
     */
    public static final int DEFAULT_INDICATOR_REPEATS = 3;

    private final T38Terminal session;
    private final PacketPort port;
    private final int version;
    private final UdptlSender sender;
    private final UdptlReceiver receiver = new UdptlReceiver();
    private final int indicatorRepeats;
    private long malformed;

    /**
     * @param version negotiated T38FaxVersion (0 to 3)
     * @param redundancy earlier IFPs repeated in each packet
     * @param maxDatagram the peer's T38FaxMaxDatagram
     */
    public T38Call(T38Terminal session, PacketPort port, int version, int redundancy, int maxDatagram) {
        this(session, port, version, redundancy, maxDatagram, DEFAULT_INDICATOR_REPEATS);
    }

    /**
     * @param indicatorRepeats copies of each indicator packet, 1 to 10: the same datagram, one
     *     sequence number, which the peer's UDPTL layer takes once
     */
    public T38Call(T38Terminal session, PacketPort port, int version, int redundancy, int maxDatagram, int indicatorRepeats) {
        if (indicatorRepeats < 1 || indicatorRepeats > 10) {
            throw new IllegalArgumentException("indicator repeats must be 1 to 10, not " + indicatorRepeats);
        }
        this.session = session;
        this.port = port;
        this.version = version;
        this.sender = new UdptlSender(redundancy, maxDatagram);
        this.indicatorRepeats = indicatorRepeats;
    }

    public T38Terminal session() {
        return session;
    }

    /** One datagram from the peer; malformed ones are counted and dropped, as a gateway would. */
    public void datagram(byte[] d, long now) {
        try {
            for (UdptlReceiver.Arrival a : receiver.accept(d)) {
                if (a instanceof UdptlReceiver.Packet p) {
                    try {
                        session.receive(p.padded() ? IfpCodec.decodePadded(p.ifp(), version) : IfpCodec.decode(p.ifp(), version), now);
                    } catch (T38FormatException e) {
                        malformed++;
                        session.lost(1);
                    }
                } else {
                    session.lost(Math.max(1, ((UdptlReceiver.Gap) a).count()));
                }
            }
        } catch (T38FormatException e) {
            malformed++;
        }
    }

    /** Sends what is due at {@code now}. */
    public void poll(long now) {
        for (Ifp ifp : session.poll(now)) {
            byte[] d = sender.next(IfpCodec.encode(ifp, version));
            int copies = ifp instanceof Ifp.Indication ? indicatorRepeats : 1;
            for (int i = 0; i < copies; i++) port.send(d);
        }
    }

    public long nextWakeup() {
        return session.nextWakeup();
    }

    public boolean done() {
        return session.done();
    }

    public long malformedDatagrams() {
        return malformed;
    }

    public long lostPackets() {
        return receiver.lostCount();
    }
}
