package dev.faxlan.lines.sip;

import dev.faxlan.lines.CallOutcome;
import javax.sip.ClientTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An outbound call's INVITE until it is answered: the client transaction now in flight, whether
 * the callee rings, digest answers to challenges, redirects, and the CANCEL. Used under its call's
 * lock.
 */
final class OutgoingInvite {
    private static final Logger log = LoggerFactory.getLogger(OutgoingInvite.class);
    private static final int MAX_AUTH_ANSWERS = 2;
    private static final int MAX_REDIRECTS = 3;

    private final SipEndpoint ep;
    private final String name;
    private Request request;
    private ClientTransaction tx;
    private boolean provisional;
    private int authAnswers;
    private int redirects;

    private OutgoingInvite(SipEndpoint ep, String name) {
        this.ep = ep;
        this.name = name;
    }

    /** Sends {@code invite} in a new client transaction. */
    static OutgoingInvite send(SipEndpoint ep, String name, Request invite) throws Exception {
        OutgoingInvite i = new OutgoingInvite(ep, name);
        i.resend(invite);
        return i;
    }

    private void resend(Request r) throws Exception {
        tx = ep.provider.getNewClientTransaction(r);
        request = r;
        provisional = false;
        tx.sendRequest();
    }

    /** The INVITE last sent (after any challenge or redirect). */
    Request request() {
        return request;
    }

    /** Whether {@code ct} is the transaction of the INVITE last sent. */
    boolean isCurrent(ClientTransaction ct) {
        return ct != null && ct == tx;
    }

    /** A provisional response came: the callee's side has the call, so a CANCEL can reach it. */
    void provisional() {
        provisional = true;
    }

    /** Whether a 401/407 may still be answered (at most twice: a third challenge means wrong credentials). */
    boolean mayAnswerChallenge() {
        return authAnswers++ < MAX_AUTH_ANSWERS;
    }

    /** Sends the INVITE again with our digest answer to {@code challenge}. */
    void answerChallenge(Response challenge) throws Exception {
        resend(ep.digest.answer(tx.getRequest(), challenge, false));
    }

    /** Follows a 3xx to its Contact (at most three times); false when it cannot be followed. */
    boolean redirect(Response r) {
        if (redirects++ >= MAX_REDIRECTS) return false;
        ContactHeader c = (ContactHeader) r.getHeader(ContactHeader.NAME);
        if (c == null || !(c.getAddress().getURI() instanceof SipURI target)) return false;
        try {
            Request next = (Request) request.clone();
            next.setRequestURI(target);
            next.removeHeader(ViaHeader.NAME);
            next.addHeader(ep.ua.via().get(0));
            CSeqHeader cseq = (CSeqHeader) next.getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            resend(next);
            log.info("{}: redirected to {}", name, target);
            return true;
        } catch (Exception e) {
            log.debug("{}: redirect failed: {}", name, e.toString());
            return false;
        }
    }

    /** Sends a CANCEL when the callee rings (before that a CANCEL cannot be sent); whether one went. */
    boolean cancel() {
        if (!provisional) return false;
        try {
            ep.provider.getNewClientTransaction(tx.createCancel()).sendRequest();
            return true;
        } catch (Exception e) {
            log.debug("{}: CANCEL failed: {}", name, e.toString());
            return false;
        }
    }

    /** Maps a final INVITE status to what a scheduler should do about it. */
    static CallOutcome outcomeOf(int status) {
        return switch (status) {
            case 486, 600 -> CallOutcome.BUSY;
            case 408, 480, 487 -> CallOutcome.NO_ANSWER;
            case 488, 606, 415 -> CallOutcome.T38_NOT_SUPPORTED;
            default -> status >= 500 && status < 600 ? CallOutcome.NETWORK_ERROR : CallOutcome.REJECTED;
        };
    }

    /** Whether {@code status} is a digest challenge. */
    static boolean isChallenge(int status) {
        return status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED;
    }
}
