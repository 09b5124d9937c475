package dev.faxlan.lines.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.text.ParseException;
import javax.sip.header.CSeqHeader;

/**
 * The parser JAIN-SIP's UDP channels read datagrams with: the stack's own, except towards sources
 * that may not start anything on the line ({@link TrustedSources#trustsAddress}). For a datagram
 * it cannot parse, the stack itself answers a 400 carrying the whole request back as its body (more
 * bytes than came in, to whatever source the datagram claims), and a 505 or a 400 for a request
 * with another SIP version or a CSeq method that is not the request's. From an untrusted source
 * such a datagram parses to nothing instead, which the stack drops without a word; a trusted peer
 * still gets the stack's answer, which helps whoever debugs the trunk.
 *
 * <p>Only the source address is known here: the stack hands the parser the bytes and the channel,
 * whose port is set only after parsing. Messages that parse go on unchanged, to the trust check in
 * {@link SipEndpoint#processRequest}. Over TCP the source is proven by the connection and the
 * stack's answers are left as they are.
 */
final class TrustAwareMessageParser implements MessageParser {
    private final MessageParser stackParser = new StringMsgParser();
    private final TrustedSources trust;

    TrustAwareMessageParser(TrustedSources trust) {
        this.trust = trust;
    }

    @Override
    public SIPMessage parseSIPMessage(byte[] bytes, boolean readBody, boolean strict, ParseExceptionListener channel) throws ParseException {
        if (!(channel instanceof UDPMessageChannel udp) || trusted(udp)) return stackParser.parseSIPMessage(bytes, readBody, strict, channel);
        SIPMessage m;
        try {
            m = stackParser.parseSIPMessage(bytes, readBody, strict, channel);
        } catch (ParseException e) {
            return null;
        }
        return m instanceof SIPRequest r && !passesTheStacksChecks(r) ? null : m;
    }

    /**
     * Whether the stack's UDP channel takes a parsed request on to the transaction layer: it answers
     * another SIP version (505) or a CSeq method that is not the request's (400) itself, and fails on
     * a request without CSeq (logging the whole datagram).
     */
    private static boolean passesTheStacksChecks(SIPRequest r) {
        CSeqHeader cseq = r.getCSeqHeader();
        return r.getRequestLine() != null && "SIP/2.0".equals(r.getRequestLine().getSipVersion()) && cseq != null
                && r.getMethod() != null && r.getMethod().equalsIgnoreCase(cseq.getMethod());
    }

    private boolean trusted(UDPMessageChannel udp) {
        try {
            // The channel keeps the datagram's source address as a literal: no name is looked up.
            return trust.trustsAddress(InetAddress.getByName(udp.getPeerAddress()));
        } catch (UnknownHostException | RuntimeException e) {
            return false;
        }
    }
}
