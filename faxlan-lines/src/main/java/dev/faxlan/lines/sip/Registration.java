package dev.faxlan.lines.sip;

import java.util.ListIterator;
import java.util.concurrent.CompletableFuture;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.address.Address;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an account registered (RFC 3261 §10): REGISTER with digest answers to 401/407, refreshed
 * before the granted lifetime runs out, retried after failures, removed on stop. One Call-ID for the
 * life of the endpoint, CSeq increasing, as registrars expect.
 */
final class Registration {
    private static final Logger log = LoggerFactory.getLogger(Registration.class);
    static final long RETRY_MS = 30_000;
    private final SipEndpoint ep;
    private final CallIdHeader callId;
    private final CompletableFuture<Void> first = new CompletableFuture<>();
    private long cseq = 1;
    private int challenges;
    private volatile String state = "registering";
    private volatile boolean stopped;

    Registration(SipEndpoint ep) {
        this.ep = ep;
        this.callId = ep.provider.getNewCallId();
    }

    CompletableFuture<Void> first() {
        return first;
    }

    String state() {
        return state;
    }

    void start() {
        send(ep.account.expires());
    }

    private synchronized void send(int expires) {
        try {
            SipAccount a = ep.account;
            Address aor = ep.addresses.createAddress(ep.ua.uri(a.user(), a.domain()));
            Request r = ep.ua.request(Request.REGISTER, ep.ua.uri(null, a.domain()), aor, aor, callId, cseq++);
            r.addHeader(ep.headers.createExpiresHeader(expires));
            challenges = 0;
            ClientTransaction ct = ep.provider.getNewClientTransaction(r);
            ct.sendRequest();
        } catch (Exception e) {
            fail("cannot send REGISTER: " + e.getMessage(), true);
        }
    }

    synchronized void onResponse(ResponseEvent e) {
        if (stopped) return;
        Response r = e.getResponse();
        int status = r.getStatusCode();
        if (status < 200) return;
        if (status / 100 == 2) {
            int granted = grantedExpires(r);
            state = "registered";
            log.info("{}: registered as {}@{} for {} s", ep.settings.name(), ep.account.user(), ep.account.domain(), granted);
            first.complete(null);
            // Refresh well before expiry; a registrar may grant less than asked.
            ep.schedule(this::refresh, Math.max(5, granted * 8L / 10) * 1000);
            return;
        }
        if ((status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED) && challenges == 0) {
            challenges++;
            try {
                // Our REGISTER went to our registrar: without a configured realm, the realm it asks for becomes the line's.
                Request retry = ep.digest.answer(e.getClientTransaction().getRequest(), r, true);
                ClientTransaction ct = ep.provider.getNewClientTransaction(retry);
                cseq = ((CSeqHeader) retry.getHeader(CSeqHeader.NAME)).getSeqNumber() + 1;
                ct.sendRequest();
            } catch (DigestAuth.Refused ex) {
                fail("not answering the registrar's challenge: " + ex.getMessage(), true);
            } catch (Exception ex) {
                fail("cannot answer the registrar's challenge: " + ex.getMessage(), true);
            }
            return;
        }
        if (status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED || status == Response.FORBIDDEN) {
            // Credentials were given and refused: retrying with the same password cannot help.
            fail("the registrar refused the credentials of " + ep.account.authUser() + " (" + status + " " + r.getReasonPhrase()
                    + "): wrong user name or password", false);
            return;
        }
        fail("the registrar answered " + status + " " + r.getReasonPhrase(), true);
    }

    private int grantedExpires(Response r) {
        int asked = ep.account.expires();
        ListIterator<?> contacts = r.getHeaders(ContactHeader.NAME);
        while (contacts.hasNext()) {
            ContactHeader c = (ContactHeader) contacts.next();
            if (c.getAddress().getURI() instanceof javax.sip.address.SipURI u && ep.host.equals(u.getHost()) && u.getPort() == ep.port()
                    && c.getExpires() > 0) {
                return c.getExpires();
            }
        }
        ExpiresHeader exp = (ExpiresHeader) r.getHeader(ExpiresHeader.NAME);
        return exp != null && exp.getExpires() > 0 ? exp.getExpires() : asked;
    }

    synchronized void onTimeout() {
        if (!stopped) fail("no answer from the registrar " + ep.settings.registrar(), true);
    }

    private void fail(String why, boolean retry) {
        state = why;
        log.warn("{}: registration failed: {}", ep.settings.name(), why);
        first.completeExceptionally(new RegistrationException(why, !retry));
        if (retry && !stopped) ep.schedule(this::refresh, RETRY_MS);
    }

    private void refresh() {
        if (!stopped) send(ep.account.expires());
    }

    /** Best effort: remove our binding so calls stop coming here. */
    synchronized void stop() {
        if (stopped) return;
        boolean wasRegistered = "registered".equals(state);
        stopped = true;
        if (wasRegistered) send(0);
    }
}
