package dev.faxlan.lines.sip;

import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.lines.MediaPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import javax.sip.ServerTransaction;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A fax call we answer: at once, with T.38 when offered; a G.711 offer with audio, listened to for
 * CNG and V.21 and switched to T.38 by re-INVITE or faxed in audio as the line's policy says
 * ({@link SipCall#listen}); under policy g711 with audio for the whole fax. T.30 as receiver, and
 * what arrived goes to the sink.
 */
final class InboundCall extends SipCall {
    private InboundCall(SipEndpoint ep, String name) {
        super(ep, Role.RECEIVE, name);
    }

    /**
     * A new INVITE from a trusted {@code source} (the endpoint has checked that). Answered at once;
     * refused with 488 when its T.38 media would go elsewhere than {@code source} and the line
     * does not allow that.
     */
    static void answer(SipEndpoint ep, ServerTransaction st, Request req, InetAddress source) {
        String caller = userOf(((FromHeader) req.getHeader(FromHeader.NAME)).getAddress().getURI());
        String called = userOf(req.getRequestURI());
        if (called.isEmpty()) called = userOf(((ToHeader) req.getHeader(ToHeader.NAME)).getAddress().getURI());
        SipEndpoint.Decision d = ep.policy.decide(caller, called);
        if (d instanceof SipEndpoint.Decision.Reject rej) {
            ep.ua.respond(st, req, rej.status());
            log.info("{}: refused a call from {} to {}: {} {}", ep.settings.name(), caller, called, rej.status(), rej.reason());
            return;
        }
        String body = content(req);
        if (ep.settings.policy() == MediaPolicy.G711) {
            answerAudio(ep, st, req, source, caller, called, (SipEndpoint.Decision.Accept) d, body);
            return;
        }
        List<SessionSdp.Media> offered = SessionSdp.media(body);
        Optional<SessionSdp.Media> t38 = SessionSdp.t38(body);
        boolean audio = !offered.isEmpty() && offered.get(0).isAudio() && offered.get(0).port() > 0;
        if (!body.isBlank() && t38.isEmpty() && !audio) {
            ep.ua.respond(st, req, Response.NOT_ACCEPTABLE_HERE);
            return;
        }
        Optional<T38Sdp.Params> params = T38Sdp.parse(body);
        Optional<AudioSdp.Offer> g711 = AudioSdp.in(body);
        boolean t38Offered = t38.isPresent() && params.isPresent();
        if (g711.isPresent() && (!t38Offered || ep.settings.policy() == MediaPolicy.G711_THEN_T38)) {
            answerListening(ep, st, req, source, caller, called, (SipEndpoint.Decision.Accept) d, body, g711.get(), t38Offered);
            return;
        }
        if (t38.isPresent() && params.isPresent()) {
            String refusal = MediaDestination.refusal(ep.settings, t38.get(), source);
            if (refusal != null) {
                log.warn("{}: refused a call from {} to {}: its offer {}", ep.settings.name(), caller, called, refusal);
                ep.ua.respond(st, req, Response.NOT_ACCEPTABLE_HERE);
                return;
            }
        }
        InboundCall c = accepted(ep, req, caller, called, ((SipEndpoint.Decision.Accept) d).options());
        synchronized (c) {
            try {
                c.media = new MediaSocket(ep.address, ep.settings.mediaPorts(), "udptl-" + caller);
                c.inviteSt = st;
                Response ok = c.okTo(req);
                if (t38.isPresent() && params.isPresent()) {
                    T38Sdp.Params ours = T38Sdp.answer(params.get(), c.media.port(), ep.settings.tuning().ourMaxDatagram());
                    c.localSdp = SessionSdp.answerT38(ep.host, c.sdpSession, c.sdpVersion, offered, ours);
                    c.startOnAck = new T38Offer(t38.get(), params.get());
                    c.state = State.ANSWERED;
                } else if (audio) {
                    c.localSdp = SessionSdp.withAudio(ep.host, c.sdpSession, c.sdpVersion, c.media.port());
                    c.media.peer(new InetSocketAddress(offered.get(0).address(), offered.get(0).port()));
                    c.reinviteAfterAck = true;
                    c.state = State.AUDIO;
                } else {
                    // No offer in the INVITE: ours goes in the 200 and the answer comes in the ACK.
                    c.localSdp = SessionSdp.withT38(ep.host, c.sdpSession, c.sdpVersion, T38Sdp.faxlanOffer(c.media.port(), ep.settings.tuning().ourMaxDatagram()));
                    c.offerInAnswer = true;
                    c.state = State.ANSWERED;
                }
                ok.setContent(c.localSdp, ep.ua.sdpType());
                ep.calls.put(c.callId, c);
                st.sendResponse(ok);
                c.dialog = st.getDialog();
                c.answeredAt = System.currentTimeMillis();
                log.info("{}: answered a call from {} to {} ({})", ep.settings.name(), caller, called, t38.isPresent() ? "T.38" : audio ? "audio, switching to T.38" : "offer in answer");
                ep.schedule(c::ackTimeout, ACK_TIMEOUT_MS);
            } catch (Exception e) {
                log.warn("{}: could not answer a call from {}: {}", ep.settings.name(), caller, e.toString());
                ep.ua.respond(st, req, Response.SERVER_INTERNAL_ERROR);
                c.cleanup();
            }
        }
    }

    /** A call from {@code caller} to {@code called} that this line takes, before its media and answer exist. */
    private static InboundCall accepted(SipEndpoint ep, Request req, String caller, String called, FaxOptions options) {
        InboundCall c = new InboundCall(ep, ep.settings.name() + " from " + caller);
        c.options = options;
        c.callerNumber = caller;
        c.calledNumber = called;
        c.callId = ((CallIdHeader) req.getHeader(CallIdHeader.NAME)).getCallId();
        return c;
    }

    /** The 200 that answers {@code req}: our tag, contact, allowed methods and the session timer's answer. */
    private Response okTo(Request req) throws Exception {
        Response ok = ep.messages.createResponse(Response.OK, req);
        localTag = UserAgentMessages.tag();
        ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(localTag);
        ok.addHeader(ep.ua.contact());
        ep.ua.allow(ok);
        sessionTimerAnswer(req, ok);
        return ok;
    }

    /**
     * Line policy g711: a G.711 audio offer is answered with audio and the fax starts on the caller's
     * ACK; an INVITE without an offer gets our audio offer in the 200 (the answer comes in the ACK);
     * an offer without PCMU or PCMA (T.38 only, other codecs) is refused with 488.
     */
    private static void answerAudio(SipEndpoint ep, ServerTransaction st, Request req, InetAddress source, String caller, String called,
            SipEndpoint.Decision.Accept accept, String body) {
        Optional<AudioSdp.Offer> audio = AudioSdp.in(body);
        if (!body.isBlank() && audio.isEmpty()) {
            log.info("{}: refused a call from {} to {}: no G.711 audio offered (line policy g711)", ep.settings.name(), caller, called);
            ep.ua.respond(st, req, Response.NOT_ACCEPTABLE_HERE);
            return;
        }
        if (audio.isPresent() && refusedMedia(ep, st, req, audio.get(), source, caller, called)) return;
        answerOnRtp(ep, st, req, caller, called, accept, State.ANSWERED, c -> {
            if (audio.isPresent()) {
                c.localSdp = AudioSdp.answer(ep.host, c.sdpSession, c.sdpVersion, SessionSdp.media(body), audio.get(), c.media.port());
                c.startAudioOnAck = audio.get();
            } else {
                c.localSdp = SessionSdp.withAudioOffer(ep.host, c.sdpSession, c.sdpVersion, c.media.port());
                c.offerInAnswer = true;
            }
        }, "G.711 audio" + (audio.isPresent() ? "" : ", offer in answer"));
    }

    /**
     * An audio offer on a line whose policy allows T.38: answered with G.711 audio; on the caller's ACK
     * the call listens for fax signals and switches to T.38 or faxes in audio as {@link #listen} says.
     * {@code t38Offered}: the offer had T.38 too (answered with port 0 under g711-then-t38, which then
     * asks for it by re-INVITE).
     */
    private static void answerListening(SipEndpoint ep, ServerTransaction st, Request req, InetAddress source, String caller, String called,
            SipEndpoint.Decision.Accept accept, String body, AudioSdp.Offer audio, boolean t38Offered) {
        if (refusedMedia(ep, st, req, audio, source, caller, called)) return;
        answerOnRtp(ep, st, req, caller, called, accept, State.AUDIO, c -> {
            c.localSdp = AudioSdp.answer(ep.host, c.sdpSession, c.sdpVersion, SessionSdp.media(body), audio, c.media.port());
            c.listenOnAck = audio;
            c.offeredT38 = t38Offered;
        }, "G.711 audio, policy " + ep.settings.policy().setting() + (t38Offered ? "; its offer had T.38 too" : ""));
    }

    /** Whether the offered audio goes where this line may not send media: then the INVITE is refused with 488. */
    private static boolean refusedMedia(SipEndpoint ep, ServerTransaction st, Request req, AudioSdp.Offer audio, InetAddress source,
            String caller, String called) {
        String refusal = MediaDestination.refusal(ep.settings, audio.media(), source);
        if (refusal == null) return false;
        log.warn("{}: refused a call from {} to {}: its offer {}", ep.settings.name(), caller, called, refusal);
        ep.ua.respond(st, req, Response.NOT_ACCEPTABLE_HERE);
        return true;
    }

    /**
     * Answers with a 200 whose SDP {@code answer} sets on the new call (its RTP socket open by then), and
     * waits for the ACK; a failure on the way answers 500 and frees what the call took.
     */
    private static void answerOnRtp(SipEndpoint ep, ServerTransaction st, Request req, String caller, String called,
            SipEndpoint.Decision.Accept accept, State state, java.util.function.Consumer<InboundCall> answer, String answered) {
        InboundCall c = accepted(ep, req, caller, called, accept.options());
        synchronized (c) {
            try {
                c.media = new MediaSocket(ep.address, ep.settings.mediaPorts(), "rtp-" + caller);
                c.inviteSt = st;
                Response ok = c.okTo(req);
                answer.accept(c);
                c.state = state;
                ok.setContent(c.localSdp, ep.ua.sdpType());
                ep.calls.put(c.callId, c);
                st.sendResponse(ok);
                c.dialog = st.getDialog();
                c.answeredAt = System.currentTimeMillis();
                log.info("{}: answered a call from {} to {} ({})", ep.settings.name(), caller, called, answered);
                ep.schedule(c::ackTimeout, ACK_TIMEOUT_MS);
            } catch (Exception e) {
                log.warn("{}: could not answer a call from {}: {}", ep.settings.name(), caller, e.toString());
                ep.ua.respond(st, req, Response.SERVER_INTERNAL_ERROR);
                c.cleanup();
            }
        }
    }

    private synchronized void ackTimeout() {
        if (acked || state == State.ENDED) return;
        log.warn("{}: no ACK for our answer; hanging up", name);
        bye();
        if (fax != null && !fax.done()) {
            remoteHungUp = true;
            fax.cancel();
        } else {
            endInbound(FaxResult.T1_EXPIRED);
        }
    }

    @Override
    void faxDone(FaxResult done, int pagesDone) {
        synchronized (this) {
            if (state == State.ENDED) return;
        }
        FaxResult r = done == FaxResult.CANCELLED && remoteHungUp ? FaxResult.REMOTE_DISCONNECTED : done;
        endInbound(r);
        synchronized (this) {
            if (!remoteHungUp) ep.schedule(this::byeLocked, ep.settings.tuning().byeGrace().toMillis());
        }
    }
}
