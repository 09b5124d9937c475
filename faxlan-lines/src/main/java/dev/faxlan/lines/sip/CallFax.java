package dev.faxlan.lines.sip;

import dev.faxlan.protocol.IpNetwork;
import dev.faxlan.engine.audio.AudioCall;
import dev.faxlan.engine.audio.AudioTerminal;
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
        f.start(media, offer, now -> T38Terminal.send(pages, options, f::onFaxEvent, FaxSessionObserver.logging(name), now));
        return f;
    }

    /** Receives as the answering terminal over the media {@code offer} describes. */
    static CallFax receive(SipEndpoint ep, String name, MediaSocket media, T38Offer offer, FaxOptions options, Ending ending) {
        CallFax f = new CallFax(ep, name, e -> {}, ending);
        f.start(media, offer, now -> T38Terminal.receive(options, f::onFaxEvent, FaxSessionObserver.logging(name), now));
        return f;
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
        f.startAudio(media, offer, AudioTerminal.receive(options, f::onFaxEvent));
        return f;
    }

    private void startAudio(MediaSocket media, AudioSdp.Offer offer, AudioTerminal terminal) {
        SessionSdp.Media m = offer.media();
        InetAddress literal = IpNetwork.literal(m.address());
        media.peer(literal != null ? new InetSocketAddress(literal, m.port()) : new InetSocketAddress(m.address(), m.port()));
        RtpAudio audio = new RtpAudio(name, media, new AudioCall(terminal, offer.law()), offer.payloadType(), offer.law(), offer.rtcpMux(), ep.scheduler::now);
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
        int redundancy = remote.ec() == T38Sdp.Ec.NONE ? 0 : 3;
        T38Call c = new T38Call(session, media::send, Math.min(2, remote.version()), redundancy, T38Sdp.peerMaxDatagram(remote));
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
        log.info("{}: T.38 to {}:{} (version {}, max datagram {})", name, m.address(), m.port(), Math.min(2, remote.version()),
                T38Sdp.peerMaxDatagram(remote));
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
