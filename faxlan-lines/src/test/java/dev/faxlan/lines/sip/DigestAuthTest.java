package dev.faxlan.lines.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import javax.sip.SipFactory;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;

/** The digest helper: known answers, the realm rule (issue #11, finding 6) and a fresh random cnonce per challenge. */
class DigestAuthTest {
    private static final HeaderFactory HEADERS;
    private static final MessageFactory MESSAGES;

    static {
        try {
            SipFactory f = SipFactory.getInstance();
            f.setPathName("gov.nist");
            HEADERS = f.createHeaderFactory();
            MESSAGES = f.createMessageFactory();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static Request invite() throws Exception {
        return MESSAGES.createRequest("INVITE sip:+15550199@sip.example.net SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKfirst\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:2000@sip.example.net>;tag=a1\r\n"
                + "To: <sip:+15550199@sip.example.net>\r\n"
                + "Call-ID: digest-test@192.0.2.10\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Content-Length: 0\r\n\r\n");
    }

    static Request register() throws Exception {
        return MESSAGES.createRequest("REGISTER sip:sip.example.net SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKreg\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:2000@sip.example.net>;tag=r1\r\n"
                + "To: <sip:2000@sip.example.net>\r\n"
                + "Call-ID: digest-reg@192.0.2.10\r\n"
                + "CSeq: 7 REGISTER\r\n"
                + "Content-Length: 0\r\n\r\n");
    }

    /** A 401 (or 407) to {@code req} with these challenge headers' values. */
    static Response challenge(Request req, int status, String... challenges) throws Exception {
        Response r = MESSAGES.createResponse(status, req);
        String name = status == 407 ? "Proxy-Authenticate" : "WWW-Authenticate";
        for (String c : challenges) r.addHeader(HEADERS.createHeader(name, c));
        return r;
    }

    static DigestAuth auth(String realm) {
        return new DigestAuth(HEADERS, "2000", "s3cret", realm, "line.trunk.realm");
    }

    static AuthorizationHeader authorization(Request r) {
        AuthorizationHeader a = (AuthorizationHeader) r.getHeader(AuthorizationHeader.NAME);
        return a != null ? a : (AuthorizationHeader) r.getHeader(ProxyAuthorizationHeader.NAME);
    }

    // ---------------------------------------------------------------- the digest itself

    @Test
    void rfc2617Example() {
        // RFC 2617 section 3.5.
        assertThat(DigestAuth.response(DigestAuth.Algorithm.MD5, "Mufasa", "testrealm@host.com", "Circle Of Life", "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                "00000001", "0a4f113b", "auth", "GET", "/dir/index.html", new byte[0])).isEqualTo("6629fae49393a05397450978507c4ef1");
    }

    @Test
    void rfc7616Examples() {
        // RFC 7616 section 3.9.1: the same request answered with SHA-256 and with MD5.
        String nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
        String cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        assertThat(DigestAuth.response(DigestAuth.Algorithm.SHA_256, "Mufasa", "http-auth@example.org", "Circle of Life", nonce, "00000001", cnonce,
                "auth", "GET", "/dir/index.html", new byte[0])).isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
        assertThat(DigestAuth.response(DigestAuth.Algorithm.MD5, "Mufasa", "http-auth@example.org", "Circle of Life", nonce, "00000001", cnonce,
                "auth", "GET", "/dir/index.html", new byte[0])).isEqualTo("8ca523f5e9506fed4657c9700eebdbec");
    }

    @Test
    void theAnswerIsTheChallengedRequestWithCredentialsTheNextCSeqAndNoBranch() throws Exception {
        Request invite = invite();
        Request retry = auth("sip.example.net").answer(invite, challenge(invite, 407,
                "Digest realm=\"sip.example.net\", nonce=\"n0nce\", qop=\"auth,auth-int\", opaque=\"op4que\", algorithm=MD5"), false);
        assertThat(((CSeqHeader) retry.getHeader(CSeqHeader.NAME)).getSeqNumber()).isEqualTo(2);
        assertThat(((ViaHeader) retry.getHeader(ViaHeader.NAME)).getBranch()).isNull();
        assertThat(retry.getHeader(AuthorizationHeader.NAME)).isNull();
        ProxyAuthorizationHeader a = (ProxyAuthorizationHeader) retry.getHeader(ProxyAuthorizationHeader.NAME);
        assertThat(a).isNotNull();
        assertThat(a.getUsername()).isEqualTo("2000");
        assertThat(a.getRealm()).isEqualTo("sip.example.net");
        assertThat(a.getQop()).isEqualTo("auth");
        assertThat(a.getOpaque()).isEqualTo("op4que");
        assertThat(a.toString()).contains("nc=00000001").contains("uri=\"sip:+15550199@sip.example.net\"");
        assertThat(a.getResponse()).isEqualTo(DigestAuth.response(DigestAuth.Algorithm.MD5, "2000", "sip.example.net", "s3cret", "n0nce", "00000001",
                a.getCNonce(), "auth", "INVITE", "sip:+15550199@sip.example.net", new byte[0]));
        assertThat(invite.getHeader(ProxyAuthorizationHeader.NAME)).as("the original is left alone").isNull();
    }

    @Test
    void sha256AndAuthIntAreAnswered() throws Exception {
        Request invite = invite();
        invite.setContent("v=0\r\n", HEADERS.createContentTypeHeader("application", "sdp"));
        Request retry = auth("r").answer(invite, challenge(invite, 401, "Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\", algorithm=SHA-256"), false);
        AuthorizationHeader a = authorization(retry);
        assertThat(a.getAlgorithm()).isEqualTo("SHA-256");
        assertThat(a.getQop()).isEqualTo("auth-int");
        assertThat(a.getResponse()).isEqualTo(DigestAuth.response(DigestAuth.Algorithm.SHA_256, "2000", "r", "s3cret", "n", "00000001", a.getCNonce(),
                "auth-int", "INVITE", "sip:+15550199@sip.example.net", "v=0\r\n".getBytes(StandardCharsets.UTF_8)));
    }

    // ---------------------------------------------------------------- the realm rule

    @Test
    void aConfiguredRealmIsTheOnlyOneAnswered() throws Exception {
        DigestAuth d = auth("sip.example.net");
        Request invite = invite();
        assertThatThrownBy(() -> d.answer(invite, challenge(invite, 401, "Digest realm=\"evil.example\", nonce=\"n\", qop=\"auth\""), false))
                .isInstanceOf(DigestAuth.Refused.class)
                .hasMessage("the challenge is for realm \"evil.example\", not this line's realm \"sip.example.net\" (line.trunk.realm); not answered");
        // Not even the registrar may change it.
        Request reg = register();
        assertThatThrownBy(() -> d.answer(reg, challenge(reg, 401, "Digest realm=\"other\", nonce=\"n\""), true)).isInstanceOf(DigestAuth.Refused.class);
        assertThat(d.realm()).isEqualTo("sip.example.net");
    }

    @Test
    void ofSeveralChallengesOnlyTheOneForOurRealmIsAnswered() throws Exception {
        Request invite = invite();
        Request retry = auth("sip.example.net").answer(invite, challenge(invite, 407,
                "Digest realm=\"evil.example\", nonce=\"bad\"", "Digest realm=\"sip.example.net\", nonce=\"good\""), false);
        assertThat(retry.getHeaders(ProxyAuthorizationHeader.NAME)).toIterable().hasSize(1);
        assertThat(authorization(retry).getRealm()).isEqualTo("sip.example.net");
        assertThat(authorization(retry).getNonce()).isEqualTo("good");
    }

    @Test
    void withoutAConfiguredRealmTheRegistrarsRealmIsLearnedAndNoOtherIsAnswered() throws Exception {
        DigestAuth d = auth(null);
        Request invite = invite();
        assertThatThrownBy(() -> d.answer(invite, challenge(invite, 407, "Digest realm=\"sip.example.net\", nonce=\"n\""), false))
                .as("nothing learned yet: not even a plausible realm is answered").isInstanceOf(DigestAuth.Refused.class)
                .hasMessageContaining("line.trunk.realm");
        Request reg = register();
        assertThat(authorization(d.answer(reg, challenge(reg, 401, "Digest realm=\"sip.example.net\", nonce=\"n\""), true)).getRealm())
                .isEqualTo("sip.example.net");
        assertThat(d.realm()).isEqualTo("sip.example.net");
        assertThat(authorization(d.answer(invite, challenge(invite, 407, "Digest realm=\"sip.example.net\", nonce=\"m\""), false))).isNotNull();
        assertThatThrownBy(() -> d.answer(invite, challenge(invite, 401, "Digest realm=\"evil.example\", nonce=\"m\""), false))
                .isInstanceOf(DigestAuth.Refused.class)
                .hasMessage("the challenge is for realm \"evil.example\", not the realm \"sip.example.net\" the registrar asked for; not answered");
    }

    @Test
    void noPasswordOrAnUnknownAlgorithmIsNotAnswered() throws Exception {
        Request invite = invite();
        DigestAuth none = new DigestAuth(HEADERS, "2000", "", "r", "line.trunk.realm");
        assertThatThrownBy(() -> none.answer(invite, challenge(invite, 401, "Digest realm=\"r\", nonce=\"n\""), false))
                .isInstanceOf(DigestAuth.Refused.class).hasMessageContaining("no password");
        assertThatThrownBy(() -> auth("r").answer(invite, challenge(invite, 401, "Digest realm=\"r\", nonce=\"n\", algorithm=AKAv1-MD5"), false))
                .isInstanceOf(DigestAuth.Refused.class).hasMessageContaining("AKAv1-MD5");
    }

    // ---------------------------------------------------------------- the client nonce

    @Test
    void everyAnswerHasItsOwnRandomCnonce() throws Exception {
        DigestAuth d = auth("r");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            Request invite = invite();
            String cnonce = authorization(d.answer(invite, challenge(invite, 401, "Digest realm=\"r\", nonce=\"same-nonce\", qop=\"auth\""), false))
                    .getCNonce();
            assertThat(cnonce).as("128 random bits, hex").matches("[0-9a-f]{32}");
            seen.add(cnonce);
        }
        assertThat(seen).as("no cnonce repeats").hasSize(50);
        assertThat(seen).doesNotContain("xyz");
    }
}
