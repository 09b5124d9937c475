package dev.faxlan.lines.sip;

import dev.faxlan.protocol.IpNetwork;
import gov.nist.javax.sip.message.SIPMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sip.SipProvider;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may start something on a user agent ({@link SipEndpoint.Trust}): the registrar and the
 * trusted hosts (looked up again every minute), trusted networks and single sockets. Everybody else
 * gets a 403 sent once, statelessly and never larger than the request, and is logged at most once a
 * minute ({@link RefusalLog}).
 */
final class TrustedSources {
    private static final Logger log = LoggerFactory.getLogger(TrustedSources.class);
    static final long REFRESH_SECONDS = 60;

    private final SipEndpoint.Settings settings;
    private final RefusalLog refusals = new RefusalLog();
    /** The resolved addresses of the registrar and {@link SipEndpoint.Trust#hosts}. */
    private volatile Set<InetAddress> hostAddresses = Set.of();
    private final AtomicBoolean resolving = new AtomicBoolean();

    TrustedSources(SipEndpoint.Settings settings) {
        this.settings = settings;
    }

    /** Looks the trusted host names up again every minute, on {@code callbacks} (a slow DNS must not hold up {@code timers}). */
    void refreshEvery(ScheduledExecutorService timers, ExecutorService callbacks) {
        if (hostNames().isEmpty()) return;
        timers.scheduleWithFixedDelay(() -> {
            if (resolving.compareAndSet(false, true)) {
                try {
                    callbacks.execute(() -> {
                        try {
                            resolve();
                        } finally {
                            resolving.set(false);
                        }
                    });
                } catch (RejectedExecutionException e) {
                    resolving.set(false);
                }
            }
        }, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    private List<String> hostNames() {
        List<String> names = new ArrayList<>(settings.trust().hosts());
        if (settings.registrar() != null) names.add(settings.registrar().getHostString());
        return names;
    }

    /** Looks the registrar and the trusted host names up again: a trunk's proxy may move to other addresses. */
    void resolve() {
        Set<InetAddress> found = new LinkedHashSet<>();
        if (settings.registrar() != null && !settings.registrar().isUnresolved()) found.add(settings.registrar().getAddress());
        for (String h : hostNames()) {
            try {
                found.addAll(List.of(InetAddress.getAllByName(h)));
            } catch (UnknownHostException e) {
                log.warn("{}: cannot resolve {}; calls from it are refused until it resolves", settings.name(), h);
            } catch (RuntimeException e) {
                log.warn("{}: resolving {} failed: {}", settings.name(), h, e.toString());
            }
        }
        if (!found.equals(hostAddresses)) log.debug("{}: trusted host addresses {}", settings.name(), found);
        hostAddresses = Set.copyOf(found);
    }

    /** Whether a request from this address and port may start something here. */
    boolean trusts(InetAddress source, int sourcePort) {
        if (source == null) return false;
        SipEndpoint.Trust t = settings.trust();
        for (InetSocketAddress s : t.sockets()) {
            if (s.getPort() == sourcePort && source.equals(s.getAddress())) return true;
        }
        return trustsAddress(source);
    }

    /**
     * Whether this address may be told what was wrong with a message it sent: a trusted network or
     * host. Single trusted sockets count only with their port, which a parser does not know yet.
     */
    boolean trustsAddress(InetAddress source) {
        if (source == null) return false;
        for (IpNetwork n : settings.trust().networks()) {
            if (n.contains(source)) return true;
        }
        return hostAddresses.contains(source);
    }

    /** Requests refused as untrusted since start (counted, whether logged or not). */
    long refused() {
        return refusals.total();
    }

    /**
     * A 403 for a request from an untrusted source: sent once and without a transaction (so no 100
     * Trying and no retransmissions), and only if it is no larger than what was received, so the
     * line cannot serve as an amplifier for a forged source address. No answer at all otherwise.
     */
    void refuse(Request req, InetAddress source, int sourcePort, MessageFactory messages, SipProvider provider) {
        RefusalLog.Report report = refusals.refused(source, System.currentTimeMillis());
        if (report != null) {
            String who = settings.trust().sockets().isEmpty()
                    ? "not the registrar, its proxy or a trusted network (line." + settings.name() + ".trusted)"
                    : "not this line's own calling side";
            log.warn("{}: refused {} from {}:{}: {}{}{}", settings.name(), req.getMethod(), source == null ? "?" : source.getHostAddress(), sourcePort, who,
                    report.unloggedFromSource() > 0 ? "; " + report.unloggedFromSource() + " more refused from it since its last report" : "",
                    report.unloggedElsewhere() > 0 ? "; " + report.unloggedElsewhere() + " refused from other sources went unlogged" : "");
        }
        if (Request.ACK.equals(req.getMethod())) return;
        try {
            Response r = messages.createResponse(Response.FORBIDDEN, req);
            r.removeHeader(RecordRouteHeader.NAME);
            r.removeHeader("Timestamp");
            ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
            if (to != null && to.getTag() == null) to.setTag(UserAgentMessages.tag());
            int received = receivedSize(req);
            int size = r.toString().getBytes(StandardCharsets.UTF_8).length;
            if (received < 0 || size > received) {
                log.debug("{}: no 403 to {}: {} bytes would answer {} received", settings.name(), source, size, received);
                return;
            }
            provider.sendResponse(r);
        } catch (Exception ex) {
            log.debug("{}: could not refuse {}: {}", settings.name(), req.getMethod(), ex.toString());
        }
    }

    /** Bytes of the request as received: its start line and headers as the parser counted them, plus the body; -1 if unknown. */
    static int receivedSize(Request req) {
        if (!(req instanceof SIPMessage m) || m.getSize() <= 0) return -1;
        byte[] body = m.getRawContent();
        return m.getSize() + (body == null ? 0 : body.length);
    }
}
