package dev.faxlan.lines.sip;

import dev.faxlan.protocol.IpNetwork;
import dev.faxlan.engine.audio.AudioCall;
import dev.faxlan.engine.audio.AudioTerminal;
import dev.faxlan.engine.audio.FaxSignalDetector;
import dev.faxlan.engine.fax.EndOfFax;
import dev.faxlan.engine.fax.FaxEvent;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.fax.FaxSessionObserver;
import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.engine.fax.T38Call;
import dev.faxlan.engine.fax.T38Terminal;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.lines.ReceivedPages;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fax on a call's media: the engine's T.38 session on the endpoint's scheduler over UDPTL, or its
 * audio terminal over RTP ({@link RtpAudio}); what the other terminal said about itself, and the pages
 * a receiving call hands to the sink as they come. The call's signalling learns the end through
 * {@link Ending}, off the media's thread.
 */
final class CallFax {
    private static final Logger log = LoggerFactory.getLogger(CallFax.class);

    /** What the call does when the fax ends, or when the sink takes no more pages. */
    interface Ending {
        void faxDone(FaxResult result, int pages);

        /** The last page of a received fax is good: true once it may be confirmed (see {@link dev.faxlan.lines.InboundFaxSink#lastPageReceived}). */
        default boolean lastPageReceived(int pages) {
            return true;
        }

        void hangUp();
    }

    /** What runs the fax: its end, and a local hang-up. */
    interface Media {
        boolean done();

        void cancel();
    }

    private final SipEndpoint ep;
    private final String name;
    private final Consumer<FaxEvent> progress;
    private final Ending ending;
    private Media call;
    /** The audio's detectors and its fax, on a call that may still switch to T.38; null otherwise. */
    private ListeningAudio listening;
    private String remoteIdent = "";
    private String subaddress = "";
    private String senderId = "";
    /** The sink's store for this call's pages, made at the first page. */
    private ReceivedPages received;

    private CallFax(SipEndpoint ep, String name, Consumer<FaxEvent> progress, Ending ending) {
        this.ep = ep;
        this.name = name;
        this.progress = progress;
        this.ending = ending;
    }

    /** Sends {@code pages} as the calling terminal over the media {@code offer} describes. */
    static CallFax send(SipEndpoint ep, String name, MediaSocket media, T38Offer offer, OutgoingPages pages, FaxOptions options,
            Consumer<FaxEvent> progress, Ending ending) {
        CallFax f = new CallFax(ep, name, progress, ending);
        f.start(media, offer, now -> {
            T38Terminal t = T38Terminal.send(pages, options, f::onFaxEvent, FaxSessionObserver.logging(name), now);
            // A progress listener that is also an EndOfFax hears the final MCF before the DCN (see Line#send).
            if (progress instanceof EndOfFax hook) t.session().endOfFax(hook);
            return t;
        });
        return f;
    }

    /** Receives as the answering terminal over the media {@code offer} describes. */
    static CallFax receive(SipEndpoint ep, String name, MediaSocket media, T38Offer offer, FaxOptions options, Ending ending) {
        CallFax f = new CallFax(ep, name, e -> {}, ending);
        f.start(media, offer, now -> {
            T38Terminal t = T38Terminal.receive(options, f::onFaxEvent, FaxSessionObserver.logging(name), now);
            t.session().endOfFax(f.storeAtLastPage());
            return t;
        });
        return f;
    }

    /** The sink stores a received fax before its last page is confirmed (see {@link Ending#lastPageReceived}). */
    private EndOfFax storeAtLastPage() {
        return new EndOfFax() {
            @Override
            public boolean lastPageReceived(int pages) {
                return ending.lastPageReceived(pages);
            }
        };
    }

    /**
     * An answering audio terminal whose fax is stored before its last MCF, as on T.38. The store runs on
     * the endpoint's callback threads: the RTP stream's thread must send a packet every 20 ms meanwhile.
     */
    private AudioTerminal audioReceiver(FaxOptions options) {
        AudioTerminal t = AudioTerminal.receive(options, this::onFaxEvent);
        t.endOfFax(storeAtLastPage(), ep.callbacks);
        return t;
    }

    /** Sends {@code pages} as the calling terminal in G.711 audio over RTP, as {@code offer} (the callee's answer) says. */
    static CallFax sendAudio(SipEndpoint ep, String name, MediaSocket media, AudioSdp.Offer offer, OutgoingPages pages, FaxOptions options,
            Consumer<FaxEvent> progress, Ending ending) {
        CallFax f = new CallFax(ep, name, progress, ending);
        f.startAudio(media, offer, AudioTerminal.send(pages, options, f::onFaxEvent));
        return f;
    }

    /** Receives as the answering terminal in G.711 audio over RTP. */
    static CallFax receiveAudio(SipEndpoint ep, String name, MediaSocket media, AudioSdp.Offer offer, FaxOptions options, Ending ending) {
        CallFax f = new CallFax(ep, name, e -> {}, ending);
        f.startAudio(media, offer, f.audioReceiver(options));
        return f;
    }

    /**
     * The audio of a call that may still switch to T.38: silence out and fax signals listened for
     * ({@code heard} is told each, off the media's thread) until {@link #answerInAudio} or
     * {@link #sendInAudio} starts a fax on it, or {@link #leaveAudio} ends it for T.38.
     */
    static CallFax listen(SipEndpoint ep, String name, MediaSocket media, AudioSdp.Offer offer, Consumer<FaxSignalDetector.Signal> heard,
            Consumer<FaxEvent> progress, Ending ending) {
        CallFax f = new CallFax(ep, name, progress, ending);
        f.listening = new ListeningAudio(offer.law(), (signal, sample) -> {
            log.info("{}: heard {} at {} ms of the call's audio", name, signal, sample / 8);
            ep.callbacks.execute(() -> heard.accept(signal));
        });
        f.startAudio(media, offer, f.listening);
        return f;
    }

    /** Starts the answering fax terminal on this call's listened audio. */
    void answerInAudio(FaxOptions options) {
        listening.start(audioReceiver(options));
        log.info("{}: faxing in G.711 audio", name);
    }

    /** Starts the calling fax terminal, sending {@code pages}, on this call's listened audio. */
    void sendInAudio(OutgoingPages pages, FaxOptions options) {
        listening.start(AudioTerminal.send(pages, options, this::onFaxEvent));
        log.info("{}: faxing in G.711 audio", name);
    }

    /** Whether a fax runs on this call's audio. */
    boolean faxingInAudio() {
        return listening == null || listening.faxing();
    }

    /** Whether this call's audio can be left for T.38 now without breaking a T.30 exchange under way. */
    boolean cleanForT38() {
        return listening != null && listening.clean();
    }

    /** Ends this call's audio at once, without T.30's goodbye: the call goes on in T.38. No end is reported. */
    void leaveAudio() {
        if (listening != null) listening.leave();
        if (call instanceof RtpAudio a) a.halt();
    }

    private void startAudio(MediaSocket media, AudioSdp.Offer offer, AudioTerminal terminal) {
        startAudio(media, offer, RtpAudio.frames(new AudioCall(terminal, offer.law())));
    }

    private void startAudio(MediaSocket media, AudioSdp.Offer offer, RtpAudio.Frames frames) {
        SessionSdp.Media m = offer.media();
        InetAddress literal = IpNetwork.literal(m.address());
        media.peer(literal != null ? new InetSocketAddress(literal, m.port()) : new InetSocketAddress(m.address(), m.port()));
        RtpAudio audio = new RtpAudio(name, media, frames, offer.payloadType(), offer.law(), offer.rtcpMux(), ep.scheduler::now);
        call = audio;
        audio.start();
        log.info("{}: G.711 {} audio (payload type {}) to {}:{}{}", name, offer.law() == dev.faxlan.modem.g711.G711.ALAW ? "A-law" : "µ-law",
                offer.payloadType(), m.address(), m.port(), offer.rtcpMux() ? ", RTCP muxed" : "");
    }

    /** The audio stream, when this fax runs on RTP; for tests. */
    RtpAudio audio() {
        return call instanceof RtpAudio a ? a : null;
    }

    private void start(MediaSocket media, T38Offer offer, java.util.function.LongFunction<T38Terminal> terminal) {
        SessionSdp.Media m = offer.media();
        T38Sdp.Params remote = offer.params();
        InetAddress literal = IpNetwork.literal(m.address());
        media.peer(literal != null ? new InetSocketAddress(literal, m.port()) : new InetSocketAddress(m.address(), m.port()));
        T38Terminal session = terminal.apply(ep.scheduler.now());
        CallTuning tuning = ep.settings.tuning();
        int limit = tuning.sendLimit(remote);
        T38Call c = new T38Call(session, media::send, Math.min(2, remote.version()), tuning.redundancyFor(remote), limit, tuning.indicatorRepeats());
        call = new Media() {
            @Override
            public boolean done() {
                return c.done();
            }

            @Override
            public void cancel() {
                ep.scheduler.cancel(c);
            }
        };
        media.sink(d -> ep.scheduler.deliver(c, d));
        ep.scheduler.add(c);
        log.info("{}: T.38 to {}:{} (version {}, max datagram {} as {}, packets up to {}, redundancy {}, indicators x{})", name, m.address(), m.port(),
                Math.min(2, remote.version()), remote.maxDatagram(), tuning.datagramMeaning(), limit, tuning.redundancyFor(remote), tuning.indicatorRepeats());
    }

    boolean done() {
        return call.done();
    }

    /** Ends the session now; it completes as CANCELLED. */
    void cancel() {
        call.cancel();
    }

    synchronized String remoteIdent() {
        return remoteIdent;
    }

    synchronized String subaddress() {
        return subaddress;
    }

    synchronized String senderId() {
        return senderId;
    }

    /** The pages received so far (as the sink stores them). */
    synchronized List<DecodeResult> received() {
        return received != null ? received : List.of();
    }

    /** Runs on the scheduler's thread: keep it short. */
    private void onFaxEvent(FaxEvent ev) {
        if (!(ev instanceof FaxEvent.Completed)) {
            try {
                progress.accept(ev);
            } catch (RuntimeException e) {
                log.debug("{}: progress listener failed: {}", name, e.toString());
            }
        }
        if (ev instanceof FaxEvent.Negotiated n) {
            synchronized (this) {
                remoteIdent = n.remoteIdent() == null ? "" : n.remoteIdent();
                subaddress = n.subaddress() == null ? "" : n.subaddress();
                senderId = n.senderId() == null ? "" : n.senderId();
            }
        } else if (ev instanceof FaxEvent.Page p && p.received() != null) {
            storePage(p.received());
        } else if (ev instanceof FaxEvent.Completed c) {
            ep.callbacks.execute(() -> ending.faxDone(c.result(), c.pages()));
        }
    }

    /**
     * Hands a received page to the sink's store at once (on the scheduler thread: one page coded and
     * written), so the call never holds the whole fax; hangs up when the store takes no more.
     */
    private void storePage(DecodeResult page) {
        boolean kept;
        String why;
        try {
            ReceivedPages pages;
            synchronized (this) {
                if (received == null) received = ep.sink.newPages();
                pages = received;
            }
            kept = pages.store(page);
            why = "the fax has reached its limit of " + pages.maxPages() + " pages";
        } catch (Exception e) {
            kept = false;
            why = "storing page failed: " + e;
        }
        if (!kept) {
            log.warn("{}: {}; hanging up", name, why);
            ep.callbacks.execute(ending::hangUp);
        }
    }
}
