package dev.faxlan.lines;

import dev.faxlan.lines.sip.CallTuning;
import dev.faxlan.protocol.HostPort;
import dev.faxlan.protocol.IpNetwork;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One fax line: a SIP trunk, or the built-in loopback line. Made by {@link LinesConfig} from the
 * server's properties; see there for the keys.
 *
 * @param name the line's name, as in {@code line.<name>.*}
 * @param kind SIP trunk or loopback
 * @param registrar the trunk's SIP registrar and proxy; null for the loopback line
 * @param outboundProxy where to send requests instead of the registrar, if the trunk needs it
 * @param user the SIP user of the trunk account (From and Contact user part); null for loopback
 * @param authUser the user name for digest authentication; the {@code user} unless configured
 * @param password the digest password, if the trunk authenticates by password; never logged
 * @param realm the only digest realm the password answers; empty to take the realm of the
 *     registrar's challenge to REGISTER (a challenge for another realm is never answered)
 * @param domain the SIP domain of the account (From/To host); the registrar host unless configured
 * @param channels calls the line carries at once
 * @param number the own fax number, sent as CSID/TSI: E.164, or a short number for loopback
 * @param dids called numbers this line answers, normalised; empty answers every number
 * @param register whether to REGISTER with the registrar (false for IP-authenticated trunks)
 * @param registerExpirySeconds Expires asked for in REGISTER
 * @param transport SIP transport to the registrar
 * @param numberPlan how numbers are normalised and dialled on this line
 * @param routes E.164 prefixes ({@code +49}, {@code +4930}) of the numbers this line dials out
 *     to; empty takes every number
 * @param trusted networks that may call this line besides its registrar and outbound proxy,
 *     which are always trusted; every other source gets 403
 * @param mediaAnyAddress whether a call's UDPTL may go to an SDP address other than the address
 *     the peer signals from (an SBC whose media relay has another address)
 * @param policy how the line's calls carry the fax: T.38 or G.711 audio over RTP
 * @param tuning how the line's T.38 calls are tuned to its trunk ({@code t38-*}, {@code bye-grace}); null for the defaults
 * @param routePolicies policies for the numbers under some prefixes ({@code route-policy}), overriding {@code policy} for
 *     outbound calls to them; the longest matching prefix wins
 */
public record LineConfig(String name, Kind kind, HostPort registrar, Optional<HostPort> outboundProxy, String user,
        String authUser, Optional<String> password, Optional<String> realm, String domain, int channels, String number,
        List<String> dids, boolean register, int registerExpirySeconds, Transport transport, NumberPlan numberPlan,
        List<String> routes, List<IpNetwork> trusted, boolean mediaAnyAddress, MediaPolicy policy, CallTuning tuning, List<RoutePolicy> routePolicies) {

    public enum Kind { LOOPBACK, SIP }

    public enum Transport { UDP, TCP }

    public static final String LOOPBACK_NAME = "loopback";
    public static final String LOOPBACK_NUMBER = "0000";
    public static final int DEFAULT_LOOPBACK_CHANNELS = 4;
    public static final int DEFAULT_CHANNELS = 2;
    public static final int DEFAULT_REGISTER_EXPIRY = 300;
    public static final int MIN_REGISTER_EXPIRY = 30;
    public static final int MAX_REGISTER_EXPIRY = 86_400;
    public static final int MAX_CHANNELS = 1000;
    /** Letters, digits, '-' and '_': the name sits between dots in property keys and in logs. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Pattern ROUTE = Pattern.compile("\\+[0-9]{0,15}");

    public LineConfig {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("line name '" + name + "' must be 1 to 32 letters, digits, '-' or '_'");
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outboundProxy, "outboundProxy");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(numberPlan, "numberPlan");
        if (policy == null) policy = MediaPolicy.T38;
        trusted = trusted == null ? List.of() : List.copyOf(trusted);
        if (tuning == null) tuning = CallTuning.DEFAULTS;
        routePolicies = routePolicies == null ? List.of() : List.copyOf(routePolicies);
        if (kind == Kind.SIP) {
            Objects.requireNonNull(registrar, "a SIP line needs a registrar");
            if (user == null || user.isEmpty()) throw new IllegalArgumentException("a SIP line needs a user");
            if (authUser == null || authUser.isEmpty()) authUser = user;
            if (domain == null || domain.isEmpty()) domain = registrar.host();
            if (!NumberPlan.isE164(number)) {
                throw new IllegalArgumentException("the number of SIP line " + name + " must be E.164 (+ and 7 to 15 digits): " + number);
            }
        } else {
            if (!name.equals(LOOPBACK_NAME)) throw new IllegalArgumentException("only the line named loopback is a loopback line");
            if (registrar != null || user != null || outboundProxy.isPresent() || password.isPresent()) {
                throw new IllegalArgumentException("the loopback line has no registrar, user, proxy or password");
            }
            if (!routePolicies.isEmpty()) throw new IllegalArgumentException("the loopback line has no routes, so no route policies");
            if (!trusted.isEmpty() || mediaAnyAddress) {
                throw new IllegalArgumentException("the loopback line takes calls only from itself: no trusted networks or media-any-address");
            }
            if (!numberPlan.isShort(number) && !NumberPlan.isE164(number)) {
                throw new IllegalArgumentException("the loopback number must be short or E.164: " + number);
            }
            register = false;
        }
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException("channels " + channels + " outside 1.." + MAX_CHANNELS);
        }
        if (registerExpirySeconds < MIN_REGISTER_EXPIRY || registerExpirySeconds > MAX_REGISTER_EXPIRY) {
            throw new IllegalArgumentException("register expiry " + registerExpirySeconds + " s outside " + MIN_REGISTER_EXPIRY + ".."
                    + MAX_REGISTER_EXPIRY);
        }
        dids = List.copyOf(dids);
        routes = List.copyOf(routes);
        for (String r : routes) {
            if (!ROUTE.matcher(r).matches()) throw new IllegalArgumentException("route '" + r + "' is not an E.164 prefix (+ and digits)");
        }
    }

    /** A line without route policies. */
    public LineConfig(String name, Kind kind, HostPort registrar, Optional<HostPort> outboundProxy, String user, String authUser,
            Optional<String> password, Optional<String> realm, String domain, int channels, String number, List<String> dids, boolean register,
            int registerExpirySeconds, Transport transport, NumberPlan numberPlan, List<String> routes, List<IpNetwork> trusted,
            boolean mediaAnyAddress, MediaPolicy policy, CallTuning tuning) {
        this(name, kind, registrar, outboundProxy, user, authUser, password, realm, domain, channels, number, dids, register, registerExpirySeconds,
                transport, numberPlan, routes, trusted, mediaAnyAddress, policy, tuning, List.of());
    }

    /** A line with the default policy, T.38. */
    public LineConfig(String name, Kind kind, HostPort registrar, Optional<HostPort> outboundProxy, String user, String authUser,
            Optional<String> password, Optional<String> realm, String domain, int channels, String number, List<String> dids, boolean register,
            int registerExpirySeconds, Transport transport, NumberPlan numberPlan, List<String> routes, List<IpNetwork> trusted,
            boolean mediaAnyAddress) {
        this(name, kind, registrar, outboundProxy, user, authUser, password, realm, domain, channels, number, dids, register, registerExpirySeconds,
                transport, numberPlan, routes, trusted, mediaAnyAddress, MediaPolicy.T38, null);
    }

    /** A line with this policy and its calls tuned as {@link CallTuning#DEFAULTS}. */
    public LineConfig(String name, Kind kind, HostPort registrar, Optional<HostPort> outboundProxy, String user, String authUser,
            Optional<String> password, Optional<String> realm, String domain, int channels, String number, List<String> dids, boolean register,
            int registerExpirySeconds, Transport transport, NumberPlan numberPlan, List<String> routes, List<IpNetwork> trusted,
            boolean mediaAnyAddress, MediaPolicy policy) {
        this(name, kind, registrar, outboundProxy, user, authUser, password, realm, domain, channels, number, dids, register, registerExpirySeconds,
                transport, numberPlan, routes, trusted, mediaAnyAddress, policy, null);
    }

    /** This line with another media policy. */
    public LineConfig withPolicy(MediaPolicy p) {
        return new LineConfig(name, kind, registrar, outboundProxy, user, authUser, password, realm, domain, channels, number, dids, register,
                registerExpirySeconds, transport, numberPlan, routes, trusted, mediaAnyAddress, p, tuning, routePolicies);
    }

    /** The built-in loopback line: a call to its number is answered by the server itself. */
    public static LineConfig loopback(int channels, String number, List<String> dids, NumberPlan numberPlan) {
        return new LineConfig(LOOPBACK_NAME, Kind.LOOPBACK, null, Optional.empty(), null, null, Optional.empty(), Optional.empty(),
                null, channels, number, dids, false, DEFAULT_REGISTER_EXPIRY, Transport.UDP, numberPlan, List.of(), List.of(), false);
    }

    public boolean isLoopback() {
        return kind == Kind.LOOPBACK;
    }

    /**
     * Whether a call to {@code calledNumber} (the request-URI or To user part) is for this line.
     * The number is compared as given and, if it can be, normalised with this line's plan, since
     * trunks send called numbers in national or international form as they please.
     */
    public boolean receives(String calledNumber) {
        if (dids.isEmpty()) return true;
        if (dids.contains(calledNumber)) return true;
        try {
            return dids.contains(numberPlan.normalise(calledNumber));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * How well this line's routes match an outbound number: the length of the longest matching
     * route prefix (0 for a line that takes every number), or -1 when none matches.
     */
    public int routeMatch(String number) {
        if (routes.isEmpty()) return 0;
        int best = -1;
        for (String r : routes) {
            if (number.startsWith(r) && r.length() > best) best = r.length();
        }
        return best;
    }

    /**
     * The policy an outbound call to {@code number} runs under: that of the longest {@code route-policy}
     * prefix covering it, else the line's.
     *
     * @param number E.164, or as typed (normalised with this line's plan); one that cannot be normalised gets the line's policy
     */
    public MediaPolicy policyFor(String number) {
        return routePolicyFor(number).map(RoutePolicy::policy).orElse(policy);
    }

    /** The route policy that decides calls to {@code number}, if one covers it (see {@link #policyFor}). */
    public Optional<RoutePolicy> routePolicyFor(String number) {
        if (routePolicies.isEmpty() || number == null) return Optional.empty();
        String n = number;
        if (!NumberPlan.isE164(n)) {
            try {
                n = numberPlan.normalise(number);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        RoutePolicy best = null;
        for (RoutePolicy r : routePolicies) {
            if (r.covers(n) && (best == null || r.prefix().length() > best.prefix().length())) best = r;
        }
        return Optional.ofNullable(best);
    }

    /** The line's settings with the password left out, so that logging a line cannot leak it. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("LineConfig[name=").append(name).append(", kind=").append(kind);
        if (kind == Kind.SIP) {
            b.append(", registrar=").append(registrar);
            outboundProxy.ifPresent(p -> b.append(", outboundProxy=").append(p));
            b.append(", user=").append(user).append(", authUser=").append(authUser)
                    .append(", password=").append(password.isPresent() ? "(set)" : "(none)");
            realm.ifPresent(r -> b.append(", realm=").append(r));
            b.append(", domain=").append(domain).append(", transport=").append(transport)
                    .append(", register=").append(register);
            if (register) b.append(", registerExpirySeconds=").append(registerExpirySeconds);
            if (!trusted.isEmpty()) b.append(", trusted=").append(trusted);
            if (mediaAnyAddress) b.append(", mediaAnyAddress=true");
            if (!tuning.equals(CallTuning.DEFAULTS)) b.append(", tuning=").append(tuning);
        }
        if (policy != MediaPolicy.T38) b.append(", policy=").append(policy.setting());
        b.append(", channels=").append(channels).append(", number=").append(number).append(", dids=").append(dids);
        if (!routes.isEmpty()) b.append(", routes=").append(routes);
        if (!routePolicies.isEmpty()) b.append(", routePolicies=").append(routePolicies);
        return b.append(", numberPlan=").append(numberPlan).append(']').toString();
    }
}
