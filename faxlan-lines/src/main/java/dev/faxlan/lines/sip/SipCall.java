package dev.faxlan.lines.sip;

import dev.faxlan.engine.fax.FaxEvent;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.lines.CallOutcome;
import dev.faxlan.lines.CallResult;
import dev.faxlan.lines.ReceivedFax;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogState;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What both directions of a fax call share: its dialog and media, the fax on them, the peer's
 * re-INVITEs (a switch to T.38 is accepted, a session-timer refresh of a running fax leaves the media
 * alone), session refreshes, hang-ups and the end. {@link OutboundCall} places a call,
 * {@link InboundCall} answers one. The call's state changes under its own lock; the engine runs on
 * the endpoint's scheduler.
 *
 * <p>Media rules (issue #11): an inbound call's UDPTL starts only after the caller's ACK, which must
 * carry the To tag of our 200 (so it comes from whoever received that 200, not from a forged
 * source); and UDPTL goes only to the address the peer signals from, unless the line allows any
 * address ({@link SipEndpoint.Trust#mediaAnyAddress}). An inbound call never confirmed by an ACK is
 * not handed to the sink.
 */
abstract sealed class SipCall permits OutboundCall, InboundCall {
    static final Logger log = LoggerFactory.getLogger(SipCall.class);
    static final long ACK_TIMEOUT_MS = 32_000;
    static final long BYE_AFTER_DCN_MS = 300;

    enum Role { SEND, RECEIVE }

    enum State { INVITING, ANSWERED, AUDIO, FAX, ENDED }

    final SipEndpoint ep;
    final Role role;
    final String name;
    final long startedAt = System.currentTimeMillis();
    final CompletableFuture<CallResult> result = new CompletableFuture<>();
    dev.faxlan.engine.fax.OutgoingPages pages;
    FaxOptions options;
    java.util.function.Consumer<FaxEvent> progress = e -> {};
    MediaSocket media;
    String callId;
    State state = State.INVITING;

    // outbound signalling
    OutgoingInvite outgoing;
    boolean ringTimedOut;
    boolean localCancel;

    // inbound signalling
    ServerTransaction inviteSt;
    String localTag;
    boolean acked;
    /** A T.38 offer answered before the caller's ACK: the fax starts when that ACK comes. */
    T38Offer startOnAck;
    /** The same for an audio offer answered under policy g711. */
    AudioSdp.Offer startAudioOnAck;
    boolean reinviteAfterAck;
    /** An audio offer answered under a policy that may use T.38: on the ACK the audio starts, listened to for fax signals. */
    AudioSdp.Offer listenOnAck;
    /** The caller's first offer had T.38 beside the audio we answered (policy g711-then-t38): it takes T.38. */
    boolean offeredT38;
    /** Our re-INVITE in flight asks for T.38 (rather than refreshing the session). */
    boolean askingT38;
    /**
     * The audio of a call that may still switch to T.38 ({@link CallFax#listen}): its detectors, and
     * its fax once one runs in audio (then also {@link #fax}). Null once the call is in T.38, or when
     * it never could be.
     */
    CallFax listening;
    boolean offerInAnswer;
    ClientTransaction reinviteTx;

    Dialog dialog;
    final long sdpSession = ThreadLocalRandom.current().nextLong(1, Integer.MAX_VALUE);
    long sdpVersion = 1;
    String localSdp;
    /** Our re-INVITE's T.38 offer while it is asked: {@link #localSdp} once the far end accepts it. */
    String offeredT38Sdp;
    long answeredAt;

    // the fax
    CallFax fax;
    boolean remoteHungUp;
    String callerNumber = "";
    String calledNumber = "";

    SipCall(SipEndpoint ep, Role role, String name) {
        this.ep = ep;
        this.role = role;
        this.name = name;
    }

    CompletableFuture<CallResult> result() {
        return result;
    }

    synchronized void onInviteResponse(ResponseEvent e) {
        Response r = e.getResponse();
        int status = r.getStatusCode();
        long seq = ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber();
        ClientTransaction ct = e.getClientTransaction();
        if (reinviteTx != null && ct == reinviteTx) {
            onReinviteResponse(e, status, seq);
            return;
        }
        if (status / 100 == 2) {
            Dialog d = e.getDialog() != null ? e.getDialog() : ct != null ? ct.getDialog() : dialog;
            ack(d, seq);
            if (ct == null && dialog != null) return; // a retransmitted 200: the ACK above is all it needs
            dialog = d;
            onAnswer(r, status);
            return;
        }
        onUnanswered(ct, r, status);
    }

    /** A 2xx to our initial INVITE, the dialog set: an outbound call's answer. */
    void onAnswer(Response r, int status) {}

    /** A provisional or failure response to our initial INVITE. */
    void onUnanswered(ClientTransaction ct, Response r, int status) {}

    synchronized void onTimeout(String method) {
        if (!Request.INVITE.equals(method)) return;
        if (state == State.INVITING && role == Role.SEND) {
            finish(ringTimedOut ? CallOutcome.NO_ANSWER : CallOutcome.NETWORK_ERROR, null, 0,
                    ringTimedOut ? "not answered" : "no response to the INVITE from " + outgoing.request().getRequestURI());
        } else if (reinviteTx != null) {
            reinviteTx = null;
            if (askingT38) {
                askingT38 = false;
                t38Refused("no answer to our re-INVITE to T.38");
            } else {
                log.warn("{}: no answer to our re-INVITE; hanging up", name);
                bye();
                if (role == Role.SEND) finish(CallOutcome.NETWORK_ERROR, null, 200, "no answer to our re-INVITE");
                else endInbound(FaxResult.T1_EXPIRED);
            }
        }
    }

    // ================================================================ in the dialog

    /** Offers T.38 on a call that is in audio (the receiver's move, field notes §4; or either side's under a policy that upgrades). */
    void sendReinviteToT38() {
        if (state == State.ENDED || dialog == null || reinviteTx != null) return;
        try {
            Request r = dialog.createRequest(Request.INVITE);
            r.addHeader(ep.ua.contact());
            // Only an offer until it is accepted: a refused one leaves the audio SDP in force for refreshes and UPDATEs.
            offeredT38Sdp = SessionSdp.withT38(ep.host, sdpSession, sdpVersion + 1, T38Sdp.faxlanOffer(media.port(), ep.settings.tuning().ourMaxDatagram()));
            r.setContent(offeredT38Sdp, ep.ua.sdpType());
            reinviteTx = ep.provider.getNewClientTransaction(r);
            askingT38 = true;
            askedT38 = true;
            dialog.sendRequest(reinviteTx);
        } catch (Exception e) {
            reinviteTx = null;
            askingT38 = false;
            t38Refused("cannot re-INVITE to T.38: " + e);
        }
    }

    synchronized void onAck(Request ack, InetAddress source) {
        if (acked || state == State.ENDED) return;
        String tag = ack.getHeader(ToHeader.NAME) instanceof ToHeader to ? to.getTag() : null;
        if (localTag != null && !localTag.equals(tag)) {
            // Not from whoever received our 200: a forged source cannot know the tag.
            log.debug("{}: ignored an ACK from {} whose To tag is not our answer's", name, source);
            return;
        }
        acked = true;
        if (listenOnAck != null) {
            AudioSdp.Offer offer = listenOnAck;
            listenOnAck = null;
            listen(offer);
        } else if (startAudioOnAck != null) {
            AudioSdp.Offer offer = startAudioOnAck;
            startAudioOnAck = null;
            startAudio(offer);
        } else if (offerInAnswer && ep.settings.policy() == dev.faxlan.lines.MediaPolicy.G711) {
            Optional<AudioSdp.Offer> audio = AudioSdp.in(content(ack));
            String refusal = audio.isPresent() ? MediaDestination.refusal(ep.settings, audio.get().media(), source) : null;
            if (audio.isPresent() && refusal == null) startAudio(audio.get());
            else {
                log.warn("{}: hanging up: the caller's answer {}", name, refusal != null ? refusal : "has no G.711 audio");
                bye();
                endInbound(FaxResult.INCOMPATIBLE);
            }
        } else if (startOnAck != null) {
            T38Offer offer = startOnAck;
            startOnAck = null;
            startFax(offer);
        } else if (offerInAnswer) {
            String body = content(ack);
            Optional<T38Offer> t38Sdp = T38Offer.in(body);
            String refusal = t38Sdp.isPresent() ? MediaDestination.refusal(ep.settings, t38Sdp.get().media(), source) : null;
            if (t38Sdp.isPresent() && refusal == null) startFax(t38Sdp.get());
            else {
                if (refusal != null) log.warn("{}: hanging up: the caller's answer {}", name, refusal);
                bye();
                endInbound(refusal != null ? FaxResult.INCOMPATIBLE : FaxResult.T1_EXPIRED);
            }
        } else if (reinviteAfterAck) {
            reinviteAfterAck = false;
            sendReinviteToT38();
        }
    }

    void onReinviteResponse(ResponseEvent e, int status, long seq) {
        if (status < 200) return;
        ClientTransaction tx = reinviteTx;
        reinviteTx = null;
        boolean asked = askingT38;
        askingT38 = false;
        if (status / 100 == 2) {
            ack(e.getDialog() != null ? e.getDialog() : dialog, seq);
            if (!asked || state == State.ENDED) return; // a session refresh
            String body = content(e.getResponse());
            Optional<T38Offer> t38Sdp = T38Offer.in(body);
            String refusal = t38Sdp.isPresent() ? MediaDestination.refusal(ep.settings, t38Sdp.get().media(), SipEndpoint.sourceOf(e.getResponse())) : null;
            if (refusal != null) {
                log.warn("{}: hanging up: the answer to our re-INVITE {}", name, refusal);
                bye();
                if (role == Role.SEND) finish(CallOutcome.REJECTED, null, status, "the answer to our re-INVITE " + refusal);
                else endInbound(FaxResult.INCOMPATIBLE);
            } else if (t38Sdp.isPresent()) {
                sdpVersion++;
                localSdp = offeredT38Sdp;
                switchToT38(t38Sdp.get());
            } else t38Refused("the re-INVITE to T.38 was accepted without T.38 (" + status + ")");
        } else if (status == Response.REQUEST_PENDING && asked) {
            askedT38 = false;
            // Glare (RFC 3261 §14.1): both sides re-INVITEd. The caller owns the Call-ID, so we wait 0-2 s;
            // its own re-INVITE usually arrives meanwhile and is accepted instead.
            ep.schedule(() -> {
                synchronized (this) {
                    if (state != State.ENDED && reinviteTx == null && mayAskT38()) sendReinviteToT38();
                }
            }, ThreadLocalRandom.current().nextLong(0, 2000));
        } else if (asked && state != State.ENDED) {
            t38Refused(status + " " + e.getResponse().getReasonPhrase());
        } else if (status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST) {
            onRemoteBye();
        }
        if (tx == null) log.debug("{}: re-INVITE response without a transaction", name);
    }

    // ================================================================ audio that may become T.38

    /** How long a call answered with audio listens for a fax signal before it asks for T.38 all the same. */
    static final long LISTEN_MS = 4_500;

    /**
     * Starts the audio of a call answered with audio under a policy that allows T.38: faxlan listens
     * for CNG, CED and V.21 flags. Under g711-then-t38 its fax starts at once in audio (T.38 when the
     * offer had it, or when a fax signal is heard); under t38 and t38-then-g711 it keeps silent and
     * asks for T.38 on the first fax signal, or after {@link #LISTEN_MS} without one.
     */
    void listen(AudioSdp.Offer offer) {
        listening = CallFax.listen(ep, name, media, offer, this::heard, progress, ending());
        state = State.AUDIO;
        if (policy() == dev.faxlan.lines.MediaPolicy.G711_THEN_T38) {
            faxInAudio();
            if (offeredT38) sendReinviteToT38();
        } else {
            ep.schedule(this::listenedLongEnough, LISTEN_MS);
        }
    }

    /** The line's policy for this call. */
    dev.faxlan.lines.MediaPolicy policy() {
        return ep.settings.policy();
    }

    /** A fax signal heard on the call's audio. */
    synchronized void heard(dev.faxlan.engine.audio.FaxSignalDetector.Signal signal) {
        if (state == State.ENDED || listening == null || reinviteTx != null || !mayAskT38()) return;
        log.info("{}: {} heard on the audio: asking for T.38 (policy {})", name, signal, policy().setting());
        sendReinviteToT38();
    }

    private synchronized void listenedLongEnough() {
        if (state == State.ENDED || listening == null || reinviteTx != null || listening.faxingInAudio()) return;
        log.info("{}: no fax signal heard in {} ms of audio; asking for T.38 all the same (policy {})", name, LISTEN_MS, policy().setting());
        sendReinviteToT38();
    }

    /** Whether this call may still ask for T.38: it is on audio that can be left cleanly, and has not asked yet. */
    boolean mayAskT38() {
        return listening == null ? state == State.AUDIO && fax == null : listening.cleanForT38() && !askedT38;
    }

    /** The call began in audio and went on in T.38. */
    boolean switchedToT38;

    /** We asked for T.38 once on this call: a refusal is not asked again. */
    boolean askedT38;

    /** Starts this call's fax on its listened audio, as its role says. */
    void faxInAudio() {
        if (role == Role.SEND) listening.sendInAudio(pages, options);
        else listening.answerInAudio(options);
        fax = listening;
        state = State.FAX;
    }

    /** The audio is left and the fax starts anew on T.38 ({@code offer} agreed by either side's re-INVITE). */
    void switchToT38(T38Offer offer) {
        if (listening != null) {
            log.info("{}: leaving the audio for T.38{}", name, fax == listening ? " (no T.30 frame exchanged yet)" : "");
            listening.leaveAudio();
            if (fax == listening) fax = null;
            listening = null;
            SessionSdp.Media m = offer.media();
            java.net.InetAddress literal = dev.faxlan.protocol.IpNetwork.literal(m.address());
            media.leaveAudio(literal != null ? new java.net.InetSocketAddress(literal, m.port()) : new java.net.InetSocketAddress(m.address(), m.port()));
            switchedToT38 = true;
        }
        startFax(offer);
    }

    /** T.38 could not be had on a call answered with audio: the fax goes on in audio if the policy allows, else the call ends. */
    void t38Refused(String why) {
        if (listening != null && policy().fallsBack()) {
            log.info("{}: T.38 not agreed ({}); the fax {} in G.711 audio (policy {})", name, why, listening.faxingInAudio() ? "goes on" : "runs",
                    policy().setting());
            if (!listening.faxingInAudio()) faxInAudio();
            return;
        }
        if (listening != null && listening.faxingInAudio()) {
            log.info("{}: T.38 not agreed ({}); the fax goes on in G.711 audio", name, why);
            return;
        }
        log.warn("{}: T.38 not agreed ({}); hanging up: policy {} faxes only over T.38 (t38-then-g711 would go on in audio)", name, why,
                policy().setting());
        bye();
        if (role == Role.SEND) finish(CallOutcome.T38_NOT_SUPPORTED, null, 200, "T.38 not agreed: " + why);
        else endInbound(FaxResult.INCOMPATIBLE);
    }

    /** A re-INVITE from the peer: a switch to T.38, a session refresh, or a switch back to audio after the fax. */
    synchronized void onReinvite(ServerTransaction st, Request req, InetAddress source) {
        try {
            if (req.getHeader(ToHeader.NAME) instanceof ToHeader to && to.getTag() == null) {
                ep.ua.respond(st, req, Response.LOOP_DETECTED); // a second initial INVITE with our Call-ID
                return;
            }
            String body = content(req);
            Optional<T38Offer> t38Sdp = T38Offer.in(body);
            Response ok = ep.messages.createResponse(Response.OK, req);
            ok.addHeader(ep.ua.contact());
            sessionTimerAnswer(req, ok);
            boolean start = false;
            if (t38Sdp.isPresent() && listening != null) {
                // A call in audio that may switch: at a clean point the fax starts anew on T.38, else the audio goes on.
                if (reinviteTx != null) {
                    ep.ua.respond(st, req, Response.REQUEST_PENDING);
                    return;
                }
                if (!listening.cleanForT38()) {
                    log.info("{}: refused the peer's re-INVITE to T.38: the fax is under way in audio (T.30 frames exchanged); the audio goes on", name);
                    ep.ua.respond(st, req, Response.NOT_ACCEPTABLE_HERE);
                    return;
                }
                String refusal = MediaDestination.refusal(ep.settings, t38Sdp.get().media(), source);
                if (refusal != null) {
                    log.warn("{}: refused the peer's re-INVITE to T.38: its offer {}; the audio goes on", name, refusal);
                    ep.ua.respond(st, req, Response.NOT_ACCEPTABLE_HERE);
                    return;
                }
                sdpVersion++;
                localSdp = SessionSdp.answerT38(ep.host, sdpSession, sdpVersion, SessionSdp.media(body), T38Sdp.answer(t38Sdp.get().params(), media.port(), ep.settings.tuning().ourMaxDatagram()));
                ok.setContent(localSdp, ep.ua.sdpType());
                st.sendResponse(ok);
                log.info("{}: the peer's re-INVITE to T.38 accepted", name);
                switchToT38(t38Sdp.get());
                return;
            }
            if (t38Sdp.isPresent() && refusesT38()) {
                // This line faxes in audio: a switch to T.38 is refused and the audio goes on untouched.
                log.info("{}: refused the peer's re-INVITE to T.38 (line policy g711)", name);
                ep.ua.respond(st, req, Response.NOT_ACCEPTABLE_HERE);
                return;
            }
            if (t38Sdp.isPresent()) {
                if (fax == null) {
                    if (reinviteTx != null) {
                        ep.ua.respond(st, req, Response.REQUEST_PENDING);
                        return;
                    }
                    String refusal = MediaDestination.refusal(ep.settings, t38Sdp.get().media(), source);
                    if (refusal != null) {
                        log.warn("{}: refused the peer's re-INVITE and hanging up: its offer {}", name, refusal);
                        ep.ua.respond(st, req, Response.NOT_ACCEPTABLE_HERE);
                        bye();
                        if (role == Role.SEND) finish(CallOutcome.REJECTED, null, 200, "the callee's re-INVITE " + refusal);
                        else endInbound(FaxResult.INCOMPATIBLE);
                        return;
                    }
                    sdpVersion++;
                    localSdp = SessionSdp.answerT38(ep.host, sdpSession, sdpVersion, SessionSdp.media(body), T38Sdp.answer(t38Sdp.get().params(), media.port(), ep.settings.tuning().ourMaxDatagram()));
                    start = true;
                }
                // else: a refresh of the running fax; the same SDP, media untouched (FreeSWITCH #2789).
            } else if (!body.isBlank() && SessionSdp.media(body).stream().anyMatch(x -> x.isAudio() && x.port() > 0)) {
                if (fax == null || fax.done()) {
                    sdpVersion++;
                    localSdp = SessionSdp.withAudio(ep.host, sdpSession, sdpVersion, media.port());
                }
            }
            ok.setContent(localSdp, ep.ua.sdpType());
            st.sendResponse(ok);
            if (start && role == Role.RECEIVE && !acked) startOnAck = t38Sdp.get(); // media only once the caller has confirmed
            else if (start) startFax(t38Sdp.get());
        } catch (Exception e) {
            log.warn("{}: re-INVITE failed: {}", name, e.toString());
            ep.ua.respond(st, req, Response.SERVER_INTERNAL_ERROR);
        }
    }

    /**
     * An UPDATE from the peer (RFC 3311), in a fax call a session-timer refresh. Without SDP it only
     * refreshes; an offer of the media in force (the same kind, audio or T.38) is answered with our SDP
     * in force and the media go on untouched; an UPDATE that would change the media is refused with 488,
     * the media untouched too (a switch goes by re-INVITE).
     */
    synchronized void onUpdate(ServerTransaction st, Request req) {
        try {
            Response ok = ep.messages.createResponse(Response.OK, req);
            ok.addHeader(ep.ua.contact());
            String body = content(req);
            if (!body.isBlank()) {
                List<SessionSdp.Media> theirs = SessionSdp.media(body);
                List<SessionSdp.Media> ours = localSdp == null ? List.of() : SessionSdp.media(localSdp);
                if (ours.isEmpty() || kindOf(theirs) != kindOf(ours)) {
                    log.info("{}: refused the peer's UPDATE: it would change the media", name);
                    ep.ua.respond(st, req, Response.NOT_ACCEPTABLE_HERE);
                    return;
                }
                ok.setContent(localSdp, ep.ua.sdpType());
            }
            sessionTimerAnswer(req, ok);
            st.sendResponse(ok);
        } catch (Exception e) {
            log.warn("{}: UPDATE failed: {}", name, e.toString());
            ep.ua.respond(st, req, Response.SERVER_INTERNAL_ERROR);
        }
    }

    /** 'a' for live audio, 't' for T.38, '-' for neither: what an SDP's media amount to. */
    private static char kindOf(List<SessionSdp.Media> media) {
        if (media.stream().anyMatch(m -> m.isT38() && m.port() > 0)) return 't';
        if (media.stream().anyMatch(m -> m.isAudio() && m.port() > 0)) return 'a';
        return '-';
    }

    // ================================================================ session timers (RFC 4028)

    /** Refreshes at half the interval; nothing when {@code seconds} is not positive (the peer refreshes). */
    void scheduleRefresh(long seconds) {
        if (seconds > 0) ep.schedule(this::refresh, seconds * 500);
    }

    /** Echoes the peer's Session-Expires in our 2xx; refreshes ourselves when the peer made us the refresher. */
    void sessionTimerAnswer(Request req, Response ok) throws Exception {
        scheduleRefresh(SessionTimer.answer(ep.headers, req, ok));
    }

    synchronized void refresh() {
        if (state == State.ENDED || dialog == null || reinviteTx != null) return;
        try {
            Request r = dialog.createRequest(Request.INVITE);
            r.addHeader(ep.ua.contact());
            r.setContent(localSdp, ep.ua.sdpType());
            reinviteTx = ep.provider.getNewClientTransaction(r);
            dialog.sendRequest(reinviteTx);
            ep.schedule(this::refresh, SessionTimer.intervalOf(outgoing != null ? outgoing.request() : null) * 500);
        } catch (Exception e) {
            log.debug("{}: session refresh failed: {}", name, e.toString());
        }
    }

    // ================================================================ the fax

    /** The engine's end of the fax; runs on a callback thread. */
    abstract void faxDone(FaxResult done, int pagesDone);

    void startFax(T38Offer offer) {
        if (fax != null) return;
        CallFax.Ending ending = ending();
        fax = role == Role.SEND
                ? CallFax.send(ep, name, media, offer, pages, options, progress, ending)
                : CallFax.receive(ep, name, media, offer, options, ending);
        state = State.FAX;
    }

    /** How the fax, T.38 or audio, ends this call. */
    CallFax.Ending ending() {
        return new CallFax.Ending() {
            @Override
            public void faxDone(FaxResult result, int pages) {
                SipCall.this.faxDone(result, pages);
            }

            @Override
            public void hangUp() {
                SipCall.this.hangUp();
            }

            @Override
            public boolean lastPageReceived(int pages) {
                return SipCall.this.lastPageReceived(pages);
            }
        };
    }

    /**
     * Held while the sink stores the fax at its last page, and while it is handed the fax at the call's
     * end: a call that ends during the store (the sender gave up waiting) is handed over after it.
     */
    private final Object storeLock = new Object();
    /** Whether the fax was handed to the sink at the call's end. Under {@link #storeLock}. */
    private boolean handedAtEnd;

    /**
     * The received fax's last page is good and its MCF waits: the sink may store the fax now (on a page
     * worker for T.38, a callback thread for audio: off the threads that pace calls). False, and no MCF,
     * when it could not.
     */
    boolean lastPageReceived(int pages) {
        ReceivedFax arrived;
        String id;
        synchronized (this) {
            if (state == State.ENDED || !acked || fax == null) return false;
            long from = answeredAt > 0 ? answeredAt : startedAt;
            arrived = new ReceivedFax(ep.settings.name(), callerNumber, calledNumber, remoteIdent(), fax.subaddress(), fax.senderId(),
                    fax.received(), from, System.currentTimeMillis() - from, FaxResult.OK, callId);
            id = callId;
        }
        if (id != null) MDC.put(SipEndpoint.CALL_MDC, id); // stored, and logged, under its call
        try {
            synchronized (storeLock) {
                if (handedAtEnd) return false;
                ep.sink.lastPageReceived(arrived);
                return true;
            }
        } catch (Exception e) {
            log.error("{}: storing a received fax ({} pages from {}) at its last page failed; not confirming it", name, pages, arrived.callerNumber(), e);
            return false;
        } finally {
            MDC.remove(SipEndpoint.CALL_MDC);
        }
    }

    /** Whether a re-INVITE to T.38 is refused: this call faxes in audio, and its audio goes on untouched. */
    boolean refusesT38() {
        return ep.settings.policy() == dev.faxlan.lines.MediaPolicy.G711;
    }

    /** Starts the fax in G.711 audio over RTP (line policy g711). */
    void startAudio(AudioSdp.Offer offer) {
        if (fax != null) return;
        CallFax.Ending ending = ending();
        fax = role == Role.SEND
                ? CallFax.sendAudio(ep, name, media, offer, pages, options, progress, ending)
                : CallFax.receiveAudio(ep, name, media, offer, options, ending);
        state = State.FAX;
    }

    /**
     * Hands what arrived to the sink (once), off the signalling threads. A call the caller never
     * confirmed with an ACK is only logged: its From could have been sent by anyone from a forged
     * address, and no fax can have run on it.
     */
    void endInbound(FaxResult r) {
        ReceivedFax arrived;
        synchronized (this) {
            if (state == State.ENDED) return;
            state = State.ENDED;
            if (listening != null && fax != listening) listening.leaveAudio();
            if (!acked) {
                log.info("{}: ended before the caller confirmed it (no ACK); not recorded", name);
                ep.calls.remove(callId, this);
                closeMediaLater();
                return;
            }
            long end = System.currentTimeMillis();
            arrived = new ReceivedFax(ep.settings.name(), callerNumber, calledNumber, remoteIdent(), fax != null ? fax.subaddress() : "", fax != null ? fax.senderId() : "",
                    fax != null ? fax.received() : List.of(),
                    answeredAt > 0 ? answeredAt : startedAt, end - (answeredAt > 0 ? answeredAt : startedAt), r, callId);
            // The dialog outlives the fax until a BYE: the caller's BYE must still find the call (not a 481).
            if (remoteHungUp || dialog == null || dialog.getState() != DialogState.CONFIRMED) ep.calls.remove(callId, this);
        }
        String id = callId;
        Runnable handOver = () -> {
            if (id != null) MDC.put(SipEndpoint.CALL_MDC, id); // the received fax is stored, and logged, under its call
            try {
                // After a store at the last page, not during it: the sink tells its listeners of the stored fax now.
                synchronized (storeLock) {
                    handedAtEnd = true;
                }
                ep.sink.received(arrived);
            } catch (Exception e) {
                log.error("{}: storing a received fax ({} pages from {}) failed", name, arrived.pages().size(), arrived.callerNumber(), e);
            } finally {
                closeMediaLater();
                MDC.remove(SipEndpoint.CALL_MDC);
            }
        };
        try {
            ep.callbacks.execute(handOver);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            handOver.run(); // the endpoint is stopping: the fax is still handed over
        }
    }

    synchronized void onRemoteBye() {
        remoteHungUp = true;
        if (state == State.ENDED) {
            ep.calls.remove(callId, this);
            return;
        }
        if (fax != null && !fax.done()) {
            fax.cancel(); // the session completes as CANCELLED, reported as a hang-up
            return;
        }
        if (role == Role.SEND) {
            if (state != State.ENDED) finish(CallOutcome.T30_FAILURE, FaxResult.REMOTE_DISCONNECTED, 200, "the other side hung up before the fax started");
        } else if (fax == null) {
            endInbound(FaxResult.REMOTE_DISCONNECTED);
        }
    }

    synchronized void onCancel() {
        if (inviteSt != null && !acked && fax == null) endInbound(FaxResult.REMOTE_DISCONNECTED);
    }

    /** Local hang-up (shutdown, or the job was cancelled). */
    synchronized void hangUp() {
        if (state == State.ENDED) return;
        localCancel = true;
        if (fax != null && !fax.done()) {
            fax.cancel();
            // A fax on early media has no dialog yet: it is given up by CANCEL.
            if (role == Role.SEND && answeredAt == 0 && outgoing != null) outgoing.cancel();
            else bye();
            return;
        }
        if (state == State.INVITING && role == Role.SEND) {
            if (outgoing != null) outgoing.cancel();
            finish(CallOutcome.CANCELLED, null, 0, "cancelled before it was answered");
            return;
        }
        bye();
        if (role == Role.SEND) finish(CallOutcome.CANCELLED, null, 200, "cancelled");
        else endInbound(FaxResult.CANCELLED);
    }

    // ================================================================ helpers

    synchronized void byeLocked() {
        bye();
        ep.calls.remove(callId, this);
    }

    void bye() {
        Dialog d = dialog;
        if (d == null || d.getState() != DialogState.CONFIRMED) return;
        try {
            Request bye = d.createRequest(Request.BYE);
            d.sendRequest(ep.provider.getNewClientTransaction(bye));
        } catch (Exception e) {
            log.debug("{}: BYE failed: {}", name, e.toString());
        }
    }

    void ack(Dialog d, long seq) {
        if (d == null) return;
        try {
            d.sendAck(d.createAck(seq));
        } catch (Exception e) {
            log.debug("{}: ACK failed: {}", name, e.toString());
        }
    }

    void finish(CallOutcome o, FaxResult faxResult, int status, String detail) {
        finish(o, faxResult, status, detail, 0);
    }

    void finish(CallOutcome o, FaxResult faxResult, int status, String detail, int pagesDone) {
        if (result.isDone()) return;
        state = State.ENDED;
        cleanup();
        log.info("{}: {} ({})", name, o, detail);
        CallResult r = new CallResult(o, faxResult, status, detail, pagesDone, remoteIdent(), System.currentTimeMillis() - startedAt);
        if (switchedToT38) r = r.over(dev.faxlan.lines.Media.T38, "T.38 by re-INVITE on a call that began in G.711 (policy " + policy().setting() + ")");
        result.complete(r);
    }

    /** What the other terminal called itself (its TSI or CSI); empty before T.30 got that far. */
    String remoteIdent() {
        return fax != null ? fax.remoteIdent() : "";
    }

    void cleanup() {
        if (listening != null && fax != listening) listening.leaveAudio();
        if (callId != null) ep.calls.remove(callId, this);
        closeMediaLater();
    }

    /** Late packets of the peer's last transmission are harmless; closing at once would only log them as port unreachable. */
    void closeMediaLater() {
        MediaSocket m = media;
        if (m == null) return;
        try {
            ep.schedule(m::close, 1_000);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            m.close();
        }
    }

    static String content(Message m) {
        byte[] raw = m.getRawContent();
        return raw == null ? "" : new String(raw, StandardCharsets.UTF_8);
    }

    static String userOf(URI u) {
        if (u instanceof SipURI s && s.getUser() != null) return s.getUser();
        String t = u.toString();
        if (t.startsWith("tel:")) {
            int semi = t.indexOf(';');
            return semi > 0 ? t.substring(4, semi) : t.substring(4);
        }
        return "";
    }
}
