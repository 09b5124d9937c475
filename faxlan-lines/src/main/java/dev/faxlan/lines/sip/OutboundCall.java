package dev.faxlan.lines.sip;

import dev.faxlan.engine.fax.FaxEvent;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.lines.CallOutcome;
import dev.faxlan.lines.Media;
import dev.faxlan.lines.MediaPolicy;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A fax call we place: INVITE offering T.38 only (or G.711 audio only under line policy g711), digest answers, redirects, CANCEL after the ring
 * timeout, then T.30 as sender. Its result completes once, with what a scheduler should do next.
 */
final class OutboundCall extends SipCall {
    /** What this call offers: T.38 only or G.711 audio only (a fallback between them is a second call). */
    private final Media offered;
    /** The attempt's policy: under g711-then-t38 an audio call takes T.38 when either side asks for it at a clean point. */
    private final MediaPolicy attemptPolicy;
    /** The audio fax started on a provisional answer's SDP ({@code ignore-early-media=false}), before any 200. */
    private boolean earlyMedia;

    private static final java.util.regex.Pattern CALL_TAG = java.util.regex.Pattern.compile("[0-9A-Za-z]{1,40}");

    private OutboundCall(SipEndpoint ep, String name, Media offered, MediaPolicy attemptPolicy) {
        super(ep, Role.SEND, name);
        this.offered = offered;
        this.attemptPolicy = attemptPolicy;
    }

    static OutboundCall place(SipEndpoint ep, String number, String domain, OutgoingPages pages, FaxOptions options,
            Consumer<FaxEvent> progress) {
        return place(ep, number, domain, pages, options, progress, ep.settings.policy().first(), ep.settings.policy());
    }

    /** Places a call offering {@code offered} only, whatever the line's policy. */
    static OutboundCall place(SipEndpoint ep, String number, String domain, OutgoingPages pages, FaxOptions options,
            Consumer<FaxEvent> progress, Media offered) {
        return place(ep, number, domain, pages, options, progress, offered, offered == Media.G711 ? MediaPolicy.G711 : MediaPolicy.T38);
    }

    /**
     * Places a call offering {@code offered} only, for an attempt under {@code policy}: under
     * g711-then-t38 an audio call listens for the callee's CED and V.21 and asks for T.38 by re-INVITE,
     * and accepts the callee's own re-INVITE to T.38, as long as no T.30 frame has been exchanged.
     */
    static OutboundCall place(SipEndpoint ep, String number, String domain, OutgoingPages pages, FaxOptions options,
            Consumer<FaxEvent> progress, Media offered, MediaPolicy policy) {
        return place(ep, number, domain, pages, options, progress, offered, policy, null);
    }

    /**
     * As above, with a Call-ID that begins with {@code callTag} (letters and digits; null: a Call-ID of
     * the stack's own), so that the receiving side's record of the call names the attempt that placed it.
     */
    static OutboundCall place(SipEndpoint ep, String number, String domain, OutgoingPages pages, FaxOptions options,
            Consumer<FaxEvent> progress, Media offered, MediaPolicy policy, String callTag) {
        if (callTag != null && !CALL_TAG.matcher(callTag).matches()) throw new IllegalArgumentException("a call tag is 1 to 40 letters and digits");
        OutboundCall c = new OutboundCall(ep, ep.settings.name() + " to " + number, offered, policy);
        c.progress = progress;
        c.pages = pages;
        c.options = options;
        c.calledNumber = number;
        // Cancelling the returned future hangs the call up (a job cancelled while it is being sent).
        c.result.whenComplete((r, e) -> {
            if (e instanceof java.util.concurrent.CancellationException) c.hangUp();
        });
        synchronized (c) {
            try {
                boolean audio = offered == Media.G711;
                c.media = new MediaSocket(ep.address, ep.settings.mediaPorts(), (audio ? "rtp-" : "udptl-") + number);
                javax.sip.header.CallIdHeader cid = callTag == null ? ep.provider.getNewCallId()
                        : ep.headers.createCallIdHeader(callTag + "-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1) + "@" + ep.host);
                c.callId = cid.getCallId();
                SipAccount a = ep.account;
                String fromUser = a != null ? a.user() : "faxlan";
                String fromDomain = a != null ? a.domain() : ep.host;
                Address from = ep.addresses.createAddress(ep.ua.uri(fromUser, fromDomain));
                SipURI target = ep.ua.uri(number, domain);
                Address to = ep.addresses.createAddress(ep.ua.uri(number, domain));
                Request r = ep.ua.request(Request.INVITE, target, from, to, cid, 1);
                ep.ua.allow(r);
                r.addHeader(ep.headers.createSupportedHeader("timer"));
                c.localSdp = audio ? SessionSdp.withAudioOffer(ep.host, c.sdpSession, c.sdpVersion, c.media.port())
                        : SessionSdp.withT38(ep.host, c.sdpSession, c.sdpVersion, T38Sdp.faxlanOffer(c.media.port(), ep.settings.tuning().ourMaxDatagram()));
                r.setContent(c.localSdp, ep.ua.sdpType());
                ep.calls.put(c.callId, c);
                c.outgoing = OutgoingInvite.send(ep, c.name, r);
                ep.schedule(c::ringTimeout, ep.settings.ringTimeout().toMillis());
            } catch (Exception e) {
                c.finish(CallOutcome.NETWORK_ERROR, null, 0, "cannot place the call: " + e.getMessage());
            }
        }
        return c;
    }

    @Override
    void onAnswer(Response r, int status) {
        if (earlyMedia && state == State.FAX && answeredAt == 0) {
            answeredDuringEarlyMedia(r);
            return;
        }
        if (state != State.INVITING) return;
        if (localCancel || ringTimedOut) {
            // Our CANCEL crossed the answer: the call exists now, so end it properly.
            bye();
            finish(localCancel ? CallOutcome.CANCELLED : CallOutcome.NO_ANSWER, null, status, "answered after the call was given up");
            return;
        }
        answeredAt = System.currentTimeMillis();
        state = State.ANSWERED;
        scheduleRefresh(SessionTimer.refreshAsked(r, true));
        String body = content(r);
        if (offered == Media.G711) {
            answeredWithAudio(AudioSdp.in(body), r, status);
            return;
        }
        Optional<T38Offer> t38Sdp = T38Offer.in(body);
        if (t38Sdp.isEmpty()) {
            bye();
            finish(CallOutcome.T38_NOT_SUPPORTED, null, status, "the call was answered without accepting T.38");
            return;
        }
        String refusal = MediaDestination.refusal(ep.settings, t38Sdp.get().media(), SipEndpoint.sourceOf(r));
        if (refusal != null) {
            log.warn("{}: hanging up: the answer {}", name, refusal);
            bye();
            finish(CallOutcome.REJECTED, null, status, "the answer " + refusal);
            return;
        }
        startFax(t38Sdp.get());
    }

    /** The callee's answer to our audio offer (policy g711): G.711 at the address it signals from, or the call ends. */
    private void answeredWithAudio(Optional<AudioSdp.Offer> audio, Response r, int status) {
        if (audio.isEmpty()) {
            bye();
            finish(CallOutcome.REJECTED, null, status, "the call was answered without G.711 audio (PCMU or PCMA), which our audio offer needs");
            return;
        }
        String refusal = MediaDestination.refusal(ep.settings, audio.get().media(), SipEndpoint.sourceOf(r));
        if (refusal != null) {
            log.warn("{}: hanging up: the answer {}", name, refusal);
            bye();
            finish(CallOutcome.REJECTED, null, status, "the answer " + refusal);
            return;
        }
        if (attemptPolicy == MediaPolicy.G711_THEN_T38) {
            listening = CallFax.listen(ep, name, media, audio.get(), this::heard, progress, ending());
            faxInAudio();
            return;
        }
        startAudio(audio.get());
    }

    /**
     * A provisional answer with G.711 in its SDP, on a line that does not ignore early media: the fax
     * starts on it now, as it would on the 200. Early media at an address the call may not send to is
     * ignored (the 200 may still bring acceptable media).
     */
    private void earlyAudio(Response r) {
        if (offered != Media.G711 || ep.settings.tuning().ignoreEarlyMedia() || fax != null) return;
        Optional<AudioSdp.Offer> audio = AudioSdp.in(content(r));
        if (audio.isEmpty()) return;
        String refusal = MediaDestination.refusal(ep.settings, audio.get().media(), SipEndpoint.sourceOf(r));
        if (refusal != null) {
            log.warn("{}: ignoring the early media of the {}: it {}", name, r.getStatusCode(), refusal);
            return;
        }
        log.info("{}: starting the fax on the early media of the {} (ignore-early-media=false)", name, r.getStatusCode());
        earlyMedia = true;
        startAudio(audio.get());
    }

    /** The 200 after a fax started on early media: the fax goes on; media the 200 names elsewhere are followed. */
    private void answeredDuringEarlyMedia(Response r) {
        answeredAt = System.currentTimeMillis();
        scheduleRefresh(SessionTimer.refreshAsked(r, true));
        Optional<AudioSdp.Offer> audio = AudioSdp.in(content(r));
        if (audio.isEmpty()) return; // the early media's SDP stands
        String refusal = MediaDestination.refusal(ep.settings, audio.get().media(), SipEndpoint.sourceOf(r));
        if (refusal != null) {
            log.warn("{}: hanging up: the answer {}", name, refusal);
            localCancel = false;
            bye();
            finish(CallOutcome.REJECTED, null, r.getStatusCode(), "the answer " + refusal);
            if (!fax.done()) fax.cancel();
            return;
        }
        SessionSdp.Media m = audio.get().media();
        java.net.InetAddress literal = dev.faxlan.protocol.IpNetwork.literal(m.address());
        java.net.InetSocketAddress to = literal != null ? new java.net.InetSocketAddress(literal, m.port()) : new java.net.InetSocketAddress(m.address(), m.port());
        media.repoint(to);
    }

    @Override
    boolean refusesT38() {
        return offered == Media.G711;
    }

    @Override
    MediaPolicy policy() {
        return attemptPolicy;
    }

    @Override
    void onUnanswered(ClientTransaction ct, Response r, int status) {
        boolean early = earlyMedia && state == State.FAX && answeredAt == 0;
        if (outgoing == null || !outgoing.isCurrent(ct) || (state != State.INVITING && !early)) return;
        if (early && status >= 200) {
            // Refused after the fax had started on early media: the refusal ends the call, and the fax with it.
            if (status / 100 == 3 || OutgoingInvite.isChallenge(status)) log.info("{}: {} after early media: not followed", name, status);
            CallOutcome o = localCancel ? CallOutcome.CANCELLED : OutgoingInvite.outcomeOf(status);
            finish(o, null, status, status + " " + r.getReasonPhrase() + " after the fax had started on early media");
            if (!fax.done()) fax.cancel();
            return;
        }
        if (status < 200) {
            outgoing.provisional();
            if (status > 100) earlyAudio(r);
            return;
        }
        if (OutgoingInvite.isChallenge(status) && outgoing.mayAnswerChallenge()) {
            try {
                outgoing.answerChallenge(r);
            } catch (DigestAuth.Refused ex) {
                log.warn("{}: not answering the {} challenge: {}", name, status, ex.getMessage());
                finish(CallOutcome.REJECTED, null, status, status + " " + r.getReasonPhrase() + ": " + ex.getMessage());
            } catch (Exception ex) {
                finish(CallOutcome.NETWORK_ERROR, null, status, "cannot answer the proxy's challenge: " + ex.getMessage());
            }
            return;
        }
        if (status / 100 == 3 && outgoing.redirect(r)) return;
        CallOutcome o = OutgoingInvite.outcomeOf(status);
        if (ringTimedOut && status == Response.REQUEST_TERMINATED) o = CallOutcome.NO_ANSWER;
        if (localCancel) o = CallOutcome.CANCELLED;
        String detail = status + " " + r.getReasonPhrase();
        if (OutgoingInvite.isChallenge(status)) detail += ": the proxy refused our credentials";
        finish(o, null, status, detail);
    }

    private synchronized void ringTimeout() {
        if (state != State.INVITING || result.isDone()) return;
        ringTimedOut = true;
        if (outgoing.cancel()) {
            // The 487 ends the call; if it never comes, give up anyway.
            ep.schedule(() -> {
                synchronized (this) {
                    if (state == State.INVITING) finish(CallOutcome.NO_ANSWER, null, 0, "not answered within " + ep.settings.ringTimeout().toSeconds() + " s");
                }
            }, 5_000);
            return;
        }
        finish(CallOutcome.NO_ANSWER, null, 0, "not answered within " + ep.settings.ringTimeout().toSeconds() + " s");
    }

    @Override
    void faxDone(FaxResult done, int pagesDone) {
        synchronized (this) {
            if (state == State.ENDED) return;
            CallOutcome o;
            String detail;
            FaxResult reported = done;
            if (done == FaxResult.OK) {
                o = CallOutcome.SUCCESS;
                detail = done.reason();
            } else if (localCancel) {
                o = CallOutcome.CANCELLED;
                detail = done.reason();
            } else if (remoteHungUp) {
                o = CallOutcome.T30_FAILURE;
                reported = FaxResult.REMOTE_DISCONNECTED;
                detail = "the other side hung up (BYE) during the fax, after " + pagesDone + " page(s)";
            } else {
                o = CallOutcome.T30_FAILURE;
                detail = done.reason();
            }
            if (answeredAt == 0 && outgoing != null) outgoing.cancel(); // the fax ran on early media alone: no dialog to BYE
            else if (!remoteHungUp) ep.schedule(this::byeLocked, BYE_AFTER_DCN_MS);
            finish(o, reported, 200, detail, pagesDone);
        }
    }
}
