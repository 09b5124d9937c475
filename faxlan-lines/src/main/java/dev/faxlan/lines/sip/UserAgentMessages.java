package dev.faxlan.lines.sip;

import java.security.SecureRandom;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages and headers one user agent makes: URIs in its transport, its Contact and Via,
 * out-of-dialog requests routed through its registrar, tags, and plain responses.
 */
final class UserAgentMessages {
    private static final Logger log = LoggerFactory.getLogger(UserAgentMessages.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SipEndpoint.Settings settings;
    private final SipAccount account;
    private final String host;
    private final int port;
    private final SipProvider provider;
    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final MessageFactory messages;

    UserAgentMessages(SipEndpoint.Settings settings, SipAccount account, String host, int port, SipProvider provider, HeaderFactory headers,
            AddressFactory addresses, MessageFactory messages) {
        this.settings = settings;
        this.account = account;
        this.host = host;
        this.port = port;
        this.provider = provider;
        this.headers = headers;
        this.addresses = addresses;
        this.messages = messages;
    }

    SipURI uri(String user, String hostPort) throws ParseException {
        int colon = hostPort.lastIndexOf(':');
        boolean hasPort = colon > 0 && hostPort.indexOf(':') == colon && !hostPort.endsWith("]");
        SipURI u = addresses.createSipURI(user, hasPort ? hostPort.substring(0, colon) : hostPort);
        if (hasPort) u.setPort(Integer.parseInt(hostPort.substring(colon + 1)));
        if (!"udp".equalsIgnoreCase(settings.transport())) u.setTransportParam(settings.transport());
        return u;
    }

    ContactHeader contact() throws ParseException {
        SipURI u = addresses.createSipURI(account != null ? account.user() : "faxlan", host);
        u.setPort(port);
        if (!"udp".equalsIgnoreCase(settings.transport())) u.setTransportParam(settings.transport());
        return headers.createContactHeader(addresses.createAddress(u));
    }

    List<ViaHeader> via() throws ParseException, javax.sip.InvalidArgumentException {
        List<ViaHeader> v = new ArrayList<>();
        v.add(headers.createViaHeader(host, port, settings.transport(), null));
        return v;
    }

    /** A new out-of-dialog request; routed through the registrar when there is one. */
    Request request(String method, SipURI target, Address from, Address to, CallIdHeader callId, long cseq) throws Exception {
        Request r = messages.createRequest(target, method, callId, headers.createCSeqHeader(cseq, method),
                headers.createFromHeader(from, tag()), headers.createToHeader(to, null), via(), headers.createMaxForwardsHeader(70));
        if (settings.registrar() != null) {
            SipURI route = addresses.createSipURI(null, settings.registrar().getHostString());
            route.setPort(settings.registrar().getPort());
            route.setLrParam();
            if (!"udp".equalsIgnoreCase(settings.transport())) route.setTransportParam(settings.transport());
            r.addHeader(headers.createRouteHeader(addresses.createAddress(route)));
        }
        r.addHeader(contact());
        r.addHeader(headers.createHeader("User-Agent", settings.userAgent()));
        return r;
    }

    ContentTypeHeader sdpType() throws ParseException {
        return headers.createContentTypeHeader("application", "sdp");
    }

    /** Allow lists the methods we handle; JAIN-SIP wants one header object per method. */
    void allow(javax.sip.message.Message m) throws ParseException {
        for (String method : SipEndpoint.ALLOW.split(", ")) m.addHeader(headers.createAllowHeader(method));
    }

    /**
     * A To/From tag: 64 random bits from a SecureRandom. The To tag of our 200 is what proves that
     * an ACK comes from whoever received that 200, so it must not be predictable.
     */
    static String tag() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    void respond(ServerTransaction st, Request req, int status) {
        try {
            Response r = messages.createResponse(status, req);
            if (status >= 200 && status < 300 || status == Response.METHOD_NOT_ALLOWED) allow(r);
            if (st != null) st.sendResponse(r);
            else provider.sendResponse(r);
        } catch (Exception e) {
            log.debug("{}: could not send {} to {}: {}", settings.name(), status, req.getMethod(), e.toString());
        }
    }
}
