package dev.faxlan.lines.sip;

import dev.faxlan.engine.audio.AudioCall;
import dev.faxlan.engine.audio.AudioTerminal;
import dev.faxlan.lines.rtp.JitterBuffer;
import dev.faxlan.lines.rtp.ReceptionStats;
import dev.faxlan.lines.rtp.Rtcp;
import dev.faxlan.lines.rtp.RtpFormatException;
import dev.faxlan.lines.rtp.RtpPacket;
import dev.faxlan.modem.g711.G711;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fax call's audio on RTP: every 20 ms of the call's clock, the next 20 ms from the jitter buffer go
 * into the {@link AudioCall} and the 20 ms it gives back go out as one G.711 packet. So the terminal's
 * T.30 clock is the count of packets sent, and the media keeps real time whatever the peer sends: a
 * lost packet is played as silence, nothing arriving is silence. Datagrams are queued by the socket's
 * reader and taken in on the call's own thread, the only one that touches the terminal. Whatever the
 * peer sends (garbage, other payload types, RTCP, jumps in sequence or timestamp) is counted and
 * dropped or placed; an exception inside the terminal ends the fax as cancelled.
 */
final class RtpAudio implements CallFax.Media {
    /** What the stream carries: 20 ms heard in, 20 ms to send out, on the stream's thread alone. */
    interface Frames {
        byte[] frame(byte[] heard);

        boolean done();

        /** Ends the fax as a local hang-up (its DCN still goes out), or stops at once when no fax runs. */
        void cancel();
    }

    private static final Logger log = LoggerFactory.getLogger(RtpAudio.class);
    /** Playout delay: fax tolerates delay, not loss; this rides out a busy machine's scheduling. */
    static final int PLAYOUT_DELAY_MS = 200;
    static final int FRAME_MS = AudioSdp.PTIME_MS;
    static final int FRAME = AudioTerminal.BLOCK;
    /** RTCP sender reports, when the peer muxes RTCP: every 5 s of call. */
    static final int RTCP_EVERY_FRAMES = 250;
    /** Frames made up at once after a stall, at most (1 s); beyond that the clock is taken as it is. */
    static final int MAX_CATCH_UP = 50;
    private static final int POLL_MS = 5;
    /** After a cancel, the DCN and its carrier are out within a few seconds; the stream never outlives this. */
    static final int MAX_CLOSING_FRAMES = 500;

    private final String name;
    private final MediaSocket socket;
    private final Frames call;
    private final int payloadType;
    private final boolean rtcpMux;
    private final LongSupplier clockMs;
    private final JitterBuffer jitter;
    private final ConcurrentLinkedQueue<byte[]> inbound = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService thread;
    private final int ssrc = ThreadLocalRandom.current().nextInt();
    private final byte[] heard = new byte[FRAME];
    private int sequence = ThreadLocalRandom.current().nextInt(0x10000);
    private int timestamp = ThreadLocalRandom.current().nextInt();
    private long start;
    private long frames;
    private long octetsSent;
    private volatile boolean cancelRequested;
    /** The frame at which the fax was cancelled; -1 while it runs. */
    private long cancelledAt = -1;
    private volatile boolean finished;
    // what came in, for logs and RTCP
    private int peerSsrc;
    private final ReceptionStats reception = new ReceptionStats();
    private volatile long malformed;
    private volatile long otherTypes;
    private long rtcpIn;

    RtpAudio(String name, MediaSocket socket, AudioCall call, int payloadType, G711 law, boolean rtcpMux, LongSupplier clockMs) {
        this(name, socket, frames(call), payloadType, law, rtcpMux, clockMs);
    }

    static Frames frames(AudioCall call) {
        return new Frames() {
            @Override
            public byte[] frame(byte[] heard) {
                return call.frame(heard);
            }

            @Override
            public boolean done() {
                return call.done();
            }

            @Override
            public void cancel() {
                if (!call.done()) call.terminal().cancel();
            }
        };
    }

    RtpAudio(String name, MediaSocket socket, Frames call, int payloadType, G711 law, boolean rtcpMux, LongSupplier clockMs) {
        this.name = name;
        this.socket = socket;
        this.call = call;
        this.payloadType = payloadType;
        this.rtcpMux = rtcpMux;
        this.clockMs = clockMs;
        this.jitter = new JitterBuffer(PLAYOUT_DELAY_MS * 8, law.encode(0));
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rtp-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the stream: the socket's datagrams come here, the first packet goes out now. */
    void start() {
        socket.latchFirstSource();
        socket.sink(inbound::add);
        start = clockMs.getAsLong();
        thread.scheduleAtFixedRate(this::poll, 0, POLL_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean done() {
        return finished;
    }

    /** Ends the fax at once as a local hang-up; its DCN still goes out before the stream stops. */
    @Override
    public void cancel() {
        cancelRequested = true;
    }

    /** Sends the frames the clock says are due. */
    private void poll() {
        if (finished) return;
        try {
            long due = (clockMs.getAsLong() - start) / FRAME_MS + 1;
            if (due - frames > MAX_CATCH_UP) {
                // The frames not sent are a gap in the stream, not a shift: the timestamp jumps over them, so the
                // peer's playout (fixed to our timestamps) plays silence for them and stays in step.
                long skipped = due - frames - MAX_CATCH_UP;
                log.debug("{}: {} frames behind the clock; skipping {}", name, due - frames, skipped);
                start += skipped * FRAME_MS;
                timestamp += (int) (skipped * FRAME);
                due = frames + MAX_CATCH_UP;
            }
            while (frames < due && !finished) frame();
        } catch (Throwable e) {
            // The thread serves this call alone; anything thrown ends its fax, typed, never silently.
            log.error("{}: the audio fax failed inside the engine; ending it", name, e);
            try {
                call.cancel();
            } catch (Throwable again) {
                log.error("{}: ending the failed fax failed too", name, again);
            }
            stop();
        }
    }

    private void frame() {
        if (cancelRequested) {
            cancelRequested = false;
            cancelledAt = frames;
            call.cancel();
        }
        if (cancelledAt >= 0 && frames - cancelledAt > MAX_CLOSING_FRAMES) {
            log.warn("{}: the fax did not end within {} s of its cancel; stopping its audio", name, MAX_CLOSING_FRAMES * FRAME_MS / 1000);
            stop();
            return;
        }
        for (byte[] d; (d = inbound.poll()) != null; ) hear(d);
        jitter.take(heard, 0, FRAME);
        byte[] out = call.frame(heard);
        socket.send(new RtpPacket(payloadType, frames == 0, sequence, timestamp, ssrc, out).encode());
        sequence = (sequence + 1) & 0xFFFF;
        timestamp += FRAME;
        octetsSent += out.length;
        frames++;
        if (rtcpMux && frames % RTCP_EVERY_FRAMES == 0) {
            socket.send(Rtcp.senderReport(ssrc, System.currentTimeMillis(), timestamp, frames, octetsSent,
                    new Rtcp.Reception(peerSsrc, reception.extendedHighest(), Math.max(0, reception.lost()))));
        }
        if (call.done()) stop();
    }

    /** One datagram from the peer: RTCP and what is not our payload type are dropped, the rest is placed. */
    private void hear(byte[] d) {
        if (RtpPacket.isRtcp(d)) {
            rtcpIn++;
            return;
        }
        RtpPacket p;
        try {
            p = RtpPacket.decode(d);
        } catch (RtpFormatException e) {
            if (malformed++ == 0) log.info("{}: dropped a datagram that is not RTP: {}", name, e.getMessage());
            return;
        }
        if (p.payloadType() != payloadType) {
            // telephone-event, comfort noise or anything else: a fax call has no use for it
            otherTypes++;
            return;
        }
        if (peerSsrc == 0) peerSsrc = p.ssrc();
        reception.received(p.sequence());
        byte[] payload = p.payload();
        jitter.put(p.timestamp(), payload, 0, payload.length);
    }

    /**
     * Stops the stream now and returns once it has sent its last packet: the call's media goes on
     * elsewhere (T.38 on the same socket), which no late RTP packet may reach.
     */
    void halt() {
        try {
            thread.execute(this::stop); // after any frame in progress, on the stream's own thread
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // already stopped
        }
        thread.shutdown();
        try {
            thread.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() {
        if (finished) return;
        finished = true;
        JitterBuffer.Stats s = jitter.stats();
        log.info("{}: RTP ended after {} packets sent; received {} placed, {} duplicate, {} late, {} far off ({} restarts), {} ms played as silence; "
                + "{} not RTP, {} of other payload types, {} RTCP, {} from strangers", name, frames, s.stored(), s.duplicates(), s.late(), s.dropped(),
                s.resyncs(), s.silenceSamples() / 8, malformed, otherTypes, rtcpIn, socket.strangers());
        thread.shutdown();
    }

    /** Counters for tests: datagrams that were not RTP, and RTP of another payload type. */
    long malformed() {
        return malformed;
    }

    long otherTypes() {
        return otherTypes;
    }

    JitterBuffer.Stats jitterStats() {
        return jitter.stats();
    }
}
