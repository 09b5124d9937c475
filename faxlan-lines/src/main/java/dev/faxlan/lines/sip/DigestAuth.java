package dev.faxlan.lines.sip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Answers digest challenges (RFC 2617, RFC 7616 algorithms, RFC 8760 for SIP) with the trunk's
 * password, but only for the line's realm: the configured one, or else the one the registrar's
 * challenge to our REGISTER named. A challenge for any other realm is refused, not answered, since
 * anyone who can challenge a request (a callee, a proxy on the path) would otherwise get a digest of
 * the password that can be cracked offline. Each answer has its own random client nonce.
 */
final class DigestAuth {
    /** A challenge this line will not answer; the message says why. */
    static final class Refused extends Exception {
        Refused(String why) {
            super(why);
        }
    }

    private static final HexFormat HEX = HexFormat.of();
    private final HeaderFactory headers;
    private final String user;
    private final String password;
    private final String configuredRealm;
    private final String realmSetting;
    private final SecureRandom random = new SecureRandom();
    private volatile String learnedRealm;

    /**
     * @param user the digest user name
     * @param password the password; empty when the line has none
     * @param configuredRealm the realm to answer, or null to learn it from the registrar
     * @param realmSetting the setting's name for messages, e.g. {@code line.trunk1.realm}
     */
    DigestAuth(HeaderFactory headers, String user, String password, String configuredRealm, String realmSetting) {
        this.headers = headers;
        this.user = user == null ? "" : user;
        this.password = password == null ? "" : password;
        this.configuredRealm = configuredRealm == null || configuredRealm.isEmpty() ? null : configuredRealm;
        this.realmSetting = realmSetting;
    }

    /** The realm answered now: the configured one, else the one learned from the registrar, else null. */
    String realm() {
        return configuredRealm != null ? configuredRealm : learnedRealm;
    }

    /**
     * The request to send instead of {@code challenged}: the same with the next CSeq, no Via branch
     * (a new transaction gets a new one) and credentials for the first challenge in {@code challenge}
     * that is for our realm and uses an algorithm we know.
     *
     * @param fromRegistrar whether this answers the registrar's challenge to our REGISTER: without a
     *     configured realm, its realm becomes ours
     * @throws Refused when no challenge may be answered (another realm, no password, unknown algorithm)
     */
    Request answer(Request challenged, Response challenge, boolean fromRegistrar) throws Refused {
        if (password.isEmpty()) throw new Refused("the line has no password to answer the challenge with");
        boolean proxy = challenge.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
        ListIterator<?> it = challenge.getHeaders(proxy ? ProxyAuthenticateHeader.NAME : WWWAuthenticateHeader.NAME);
        List<WWWAuthenticateHeader> offered = new ArrayList<>();
        while (it != null && it.hasNext()) {
            if (it.next() instanceof WWWAuthenticateHeader h && "digest".equalsIgnoreCase(h.getScheme())) offered.add(h);
        }
        if (offered.isEmpty()) throw new Refused("the " + challenge.getStatusCode() + " carries no digest challenge");
        List<String> otherRealms = new ArrayList<>();
        String unusable = null;
        for (WWWAuthenticateHeader h : offered) {
            String realm = h.getRealm() == null ? "" : h.getRealm();
            String expected = configuredRealm != null ? configuredRealm : fromRegistrar ? realm : learnedRealm;
            if (expected == null || !expected.equals(realm)) {
                if (!otherRealms.contains(realm)) otherRealms.add(realm);
                continue;
            }
            Algorithm algorithm = Algorithm.of(h.getAlgorithm());
            String qop = chooseQop(h.getQop());
            if (algorithm == null || h.getNonce() == null || h.getNonce().isEmpty() || "".equals(qop)) {
                unusable = "a digest challenge the line cannot answer (algorithm " + h.getAlgorithm() + ", qop " + h.getQop() + ")";
                continue;
            }
            if (configuredRealm == null && fromRegistrar) learnedRealm = realm;
            return withCredentials(challenged, h, proxy, algorithm, qop);
        }
        if (unusable != null) throw new Refused("the " + challenge.getStatusCode() + " has " + unusable);
        throw new Refused(realmRefusal(otherRealms));
    }

    private String realmRefusal(List<String> realms) {
        String asked = "the challenge is for realm " + String.join(", ", realms.stream().map(r -> "\"" + r + "\"").toList());
        if (configuredRealm != null) return asked + ", not this line's realm \"" + configuredRealm + "\" (" + realmSetting + "); not answered";
        if (learnedRealm != null) return asked + ", not the realm \"" + learnedRealm + "\" the registrar asked for; not answered";
        return asked + ", and the line knows no realm: set " + realmSetting + " (or register, and the registrar's realm is used); not answered";
    }

    /** "auth" when offered, else "auth-int"; null for no qop (RFC 2069); "" when only unknown ones are offered. */
    static String chooseQop(String offered) {
        if (offered == null || offered.isBlank()) return null;
        boolean authInt = false;
        for (String q : offered.split(",")) {
            String t = q.strip().replace("\"", "").toLowerCase(Locale.ROOT);
            if (t.equals("auth")) return "auth";
            if (t.equals("auth-int")) authInt = true;
        }
        return authInt ? "auth-int" : "";
    }

    private Request withCredentials(Request challenged, WWWAuthenticateHeader h, boolean proxy, Algorithm algorithm, String qop) throws Refused {
        try {
            Request r = (Request) challenged.clone();
            r.removeHeader(AuthorizationHeader.NAME);
            r.removeHeader(ProxyAuthorizationHeader.NAME);
            CSeqHeader cseq = (CSeqHeader) r.getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            ViaHeader via = (ViaHeader) r.getHeader(ViaHeader.NAME);
            if (via != null) via.removeParameter("branch");
            String uri = r.getRequestURI().toString();
            String cnonce = cnonce();
            String nc = "00000001";
            byte[] body = r.getRawContent() == null ? new byte[0] : r.getRawContent();
            String response = response(algorithm, user, h.getRealm(), password, h.getNonce(), nc, cnonce, qop, r.getMethod(), uri, body);
            AuthorizationHeader a = proxy ? headers.createProxyAuthorizationHeader("Digest") : headers.createAuthorizationHeader("Digest");
            a.setUsername(user);
            a.setRealm(h.getRealm());
            a.setNonce(h.getNonce());
            a.setParameter("uri", uri);
            a.setResponse(response);
            if (h.getAlgorithm() != null) a.setAlgorithm(h.getAlgorithm());
            if (h.getOpaque() != null) a.setOpaque(h.getOpaque());
            if (qop != null || algorithm.session) a.setCNonce(cnonce);
            if (qop != null) {
                a.setQop(qop);
                a.setNonceCount(1);
            }
            r.addHeader(a);
            return r;
        } catch (Exception e) {
            throw new Refused("cannot build the answer to the challenge: " + e.getMessage());
        }
    }

    /** 128 random bits, hex: a client nonce nobody can predict, new for every challenge. */
    String cnonce() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return HEX.formatHex(b);
    }

    /** The digest algorithms answered: RFC 7616's MD5 and SHA-256, each also as a session variant. */
    enum Algorithm {
        MD5("MD5", false), MD5_SESS("MD5", true), SHA_256("SHA-256", false), SHA_256_SESS("SHA-256", true);

        final String hash;
        final boolean session;

        Algorithm(String hash, boolean session) {
            this.hash = hash;
            this.session = session;
        }

        /** null (absent) means MD5; an unknown name gives null. */
        static Algorithm of(String name) {
            if (name == null || name.isBlank()) return MD5;
            return switch (name.strip().replace("\"", "").toUpperCase(Locale.ROOT)) {
                case "MD5" -> MD5;
                case "MD5-SESS" -> MD5_SESS;
                case "SHA-256" -> SHA_256;
                case "SHA-256-SESS" -> SHA_256_SESS;
                default -> null;
            };
        }

        String h(String s) {
            try {
                return HEX.formatHex(MessageDigest.getInstance(hash).digest(s.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        String h(byte[] b) {
            try {
                return HEX.formatHex(MessageDigest.getInstance(hash).digest(b));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The request-digest of RFC 2617 §3.2.2.1 / RFC 7616 §3.4.1, lowercase hex. */
    static String response(Algorithm a, String user, String realm, String password, String nonce, String nc, String cnonce, String qop,
            String method, String uri, byte[] body) {
        String ha1 = a.h(user + ":" + realm + ":" + password);
        if (a.session) ha1 = a.h(ha1 + ":" + nonce + ":" + cnonce);
        String ha2 = "auth-int".equals(qop) ? a.h(method + ":" + uri + ":" + a.h(body)) : a.h(method + ":" + uri);
        return qop == null ? a.h(ha1 + ":" + nonce + ":" + ha2) : a.h(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }
}
