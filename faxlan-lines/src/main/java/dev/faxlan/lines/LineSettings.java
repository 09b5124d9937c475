package dev.faxlan.lines;

import static dev.faxlan.lines.SettingsReader.emptyToNull;
import static dev.faxlan.lines.SettingsReader.list;

import dev.faxlan.lines.sip.CallTuning;
import dev.faxlan.protocol.IpNetwork;
import dev.faxlan.protocol.HostPort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One line's settings, {@code line.<name>.<setting>}, read into a {@link LineConfig}: the built-in
 * loopback line's few, or a SIP line's trunk, account, numbers, routes and trusted networks.
 */
final class LineSettings {
    static final Set<String> SIP_KEYS = union(NumberPlanSettings.KEYS, Set.of("enabled", "kind", "registrar", "outbound-proxy", "user",
            "auth-user", "password", "password-file", "realm", "domain", "channels", "number", "dids", "register", "register-expiry",
            "transport", "route", "dial", "trusted", "media-any-address", "policy", "t38-indicator-repeats", "t38-redundancy", "t38-datagram",
            "t38-peer-max-datagram", "t38-max-datagram-is", "bye-grace", "route-policy", "ignore-early-media"));
    static final Set<String> LOOPBACK_KEYS = Set.of("enabled", "channels", "number", "dids", "policy", "speed");
    /** What may appear in a SIP URI user part or host without escaping, roughly: no spaces, '@', ':', '<', '>', ';' or '"'. */
    private static final Pattern SIP_TOKEN = Pattern.compile("[^\\s@:<>;\"]+");

    private final SettingsReader reader;
    private final NumberPlanSettings plans;
    private final Path baseDir;

    /** @param baseDir where relative {@code password-file} paths start */
    LineSettings(SettingsReader reader, Path baseDir) {
        this.reader = reader;
        this.plans = new NumberPlanSettings(reader);
        this.baseDir = baseDir;
    }

    /** The loopback line from its settings; null when they have problems. */
    LineConfig loopback(Map<String, String> k, NumberPlan plan) {
        String p = "line.loopback.";
        reader.unknownKeys(p, k, LOOPBACK_KEYS);
        int channels = reader.integer(p + "channels", k.get("channels"), LineConfig.DEFAULT_LOOPBACK_CHANNELS, 1, LineConfig.MAX_CHANNELS);
        String number = k.getOrDefault("number", LineConfig.LOOPBACK_NUMBER);
        String normalised = reader.number(p + "number", number, plan);
        List<String> dids = reader.numbers(p + "dids", k.get("dids"), plan);
        MediaPolicy policy = policy(p + "policy", k.get("policy"));
        if (normalised == null) return null;
        return build(p, () -> LineConfig.loopback(channels, normalised, dids, plan).withPolicy(policy));
    }

    /** The SIP line {@code name} from its settings; null when it is disabled or they have problems. */
    LineConfig sip(String name, Map<String, String> k, NumberPlan global) {
        String p = "line." + name + ".";
        reader.unknownKeys(p, k, SIP_KEYS);
        if (!reader.bool(p + "enabled", k.get("enabled"), true)) return null;
        int before = reader.problemCount();
        String kind = k.get("kind");
        if (kind != null && !kind.equalsIgnoreCase("sip")) {
            reader.problem(p + "kind", kind, kind.equalsIgnoreCase("loopback") ? "only the built-in line 'loopback' is a loopback line"
                    : "unknown kind (sip)");
        }
        HostPort registrar = null;
        String r = k.get("registrar");
        if (r == null || r.isEmpty()) reader.problem(p + "registrar", "", "a SIP line needs its registrar, host[:port]");
        else registrar = hostPort(p + "registrar", r);
        HostPort proxy = k.containsKey("outbound-proxy") && !k.get("outbound-proxy").isEmpty()
                ? hostPort(p + "outbound-proxy", k.get("outbound-proxy")) : null;
        String user = sipToken(p + "user", k.get("user"), true);
        String authUser = sipToken(p + "auth-user", k.get("auth-user"), false);
        String realm = emptyToNull(k.get("realm"));
        String domain = sipToken(p + "domain", k.get("domain"), false);
        Optional<String> password = password(p, k);
        LineConfig.Transport transport = transport(p + "transport", k.get("transport"));
        int channels = reader.integer(p + "channels", k.get("channels"), LineConfig.DEFAULT_CHANNELS, 1, LineConfig.MAX_CHANNELS);
        boolean register = reader.bool(p + "register", k.get("register"), true);
        int expiry = reader.integer(p + "register-expiry", k.get("register-expiry"), LineConfig.DEFAULT_REGISTER_EXPIRY,
                LineConfig.MIN_REGISTER_EXPIRY, LineConfig.MAX_REGISTER_EXPIRY);
        NumberPlan plan = plans.read(k, p, global, true);
        String number = null;
        String n = k.get("number");
        if (n == null || n.isEmpty()) {
            reader.problem(p + "number", "", "a SIP line needs its own fax number (E.164, e.g. +15550100), sent as CSID/TSI");
        } else {
            number = reader.number(p + "number", n, plan);
            if (number != null && !NumberPlan.isE164(number)) {
                reader.problem(p + "number", n, "the own number of a SIP line must be a full number, not a short one");
            }
        }
        List<String> dids = reader.numbers(p + "dids", k.get("dids"), plan);
        List<String> routes = routes(p + "route", k.get("route"));
        List<IpNetwork> trusted = networks(p + "trusted", k.get("trusted"));
        boolean mediaAnyAddress = reader.bool(p + "media-any-address", k.get("media-any-address"), false);
        MediaPolicy policy = policy(p + "policy", k.get("policy"));
        CallTuning tuning = tuning(p, k);
        List<RoutePolicy> routePolicies = routePolicies(p + "route-policy", k.get("route-policy"), routes);
        if (password.isPresent() && !register && realm == null) {
            reader.problem(p + "realm", "", "needed when the line has a password but does not register: the realm is otherwise learned from "
                    + "the registrar's challenge, and the password answers no other realm");
        }
        if (reader.problemCount() > before) return null;
        HostPort reg = registrar;
        String num = number;
        return build(p, () -> new LineConfig(name, LineConfig.Kind.SIP, reg, Optional.ofNullable(proxy), user, authUser, password,
                Optional.ofNullable(realm), domain, channels, num, dids, register, expiry, transport, plan, routes, trusted, mediaAnyAddress, policy, tuning,
                routePolicies));
    }

    /** The line's carrier hardening settings (docs/lines.md "Carrier hardening"); the defaults where unset or wrong (with a problem). */
    private CallTuning tuning(String p, Map<String, String> k) {
        CallTuning d = CallTuning.DEFAULTS;
        int repeats = reader.integer(p + "t38-indicator-repeats", k.get("t38-indicator-repeats"), d.indicatorRepeats(), 1, 10);
        int redundancy = reader.integer(p + "t38-redundancy", k.get("t38-redundancy"), d.redundancy(), 0, 8);
        int ours = reader.integer(p + "t38-datagram", k.get("t38-datagram"), d.ourMaxDatagram(), 100, CallTuning.MTU_SAFE_DATAGRAM);
        int peer = reader.integer(p + "t38-peer-max-datagram", k.get("t38-peer-max-datagram"), 0, 100, CallTuning.MTU_SAFE_DATAGRAM);
        CallTuning.DatagramMeaning meaning = d.datagramMeaning();
        String is = k.get("t38-max-datagram-is");
        if (is != null && !is.isBlank()) {
            switch (is.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "udptl" -> meaning = CallTuning.DatagramMeaning.UDPTL;
                case "ifp" -> meaning = CallTuning.DatagramMeaning.IFP;
                default -> reader.problem(p + "t38-max-datagram-is", is, "not udptl or ifp");
            }
        }
        int grace = reader.integer(p + "bye-grace", k.get("bye-grace"), (int) d.byeGrace().toSeconds(), 0, 60);
        boolean ignoreEarly = reader.bool(p + "ignore-early-media", k.get("ignore-early-media"), d.ignoreEarlyMedia());
        return new CallTuning(repeats, redundancy, ours, peer, meaning, java.time.Duration.ofSeconds(grace), ignoreEarly);
    }

    private LineConfig build(String prefix, Supplier<LineConfig> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            reader.problem(prefix + "*: " + e.getMessage());
            return null;
        }
    }

    private Optional<String> password(String p, Map<String, String> k) {
        String inline = k.get("password");
        String file = emptyToNull(k.get("password-file"));
        if (inline != null && file != null) {
            reader.problem(p + "password and " + p + "password-file: give one of them, not both");
            return Optional.empty();
        }
        if (file != null) {
            Path f = baseDir.resolve(file);
            try {
                String pw = Files.readString(f, StandardCharsets.UTF_8).strip();
                if (pw.isEmpty()) reader.problem(p + "password-file", file, "the file is empty");
                return pw.isEmpty() ? Optional.empty() : Optional.of(pw);
            } catch (IOException e) {
                reader.problem(p + "password-file", file, "cannot read " + f.toAbsolutePath() + " (" + e.getClass().getSimpleName() + ")");
                return Optional.empty();
            }
        }
        return Optional.ofNullable(emptyToNull(inline));
    }

    private MediaPolicy policy(String key, String value) {
        if (value == null || value.isEmpty()) return MediaPolicy.T38;
        Optional<MediaPolicy> p = MediaPolicy.parse(value);
        if (p.isEmpty()) reader.problem(key, value, "unknown policy (t38, g711, t38-then-g711 or g711-then-t38)");
        return p.orElse(MediaPolicy.T38);
    }

    /**
     * {@code +4930:g711,+44:t38-then-g711}: a policy per prefix, each prefix once and within the line's
     * {@code route} (a prefix the line never dials would be a policy that never applies).
     */
    private List<RoutePolicy> routePolicies(String key, String value, List<String> routes) {
        List<RoutePolicy> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (String item : list(value)) {
            int colon = item.indexOf(':');
            String prefix = colon < 0 ? item : item.substring(0, colon).strip();
            String policy = colon < 0 ? "" : item.substring(colon + 1).strip();
            if (colon < 0 || !RoutePolicy.PREFIX.matcher(prefix).matches()) {
                reader.problem(key, value, "'" + item + "' is not PREFIX:POLICY, e.g. +4930:g711");
                continue;
            }
            Optional<MediaPolicy> p = MediaPolicy.parse(policy);
            if (p.isEmpty()) {
                reader.problem(key, value, "'" + item + "': unknown policy '" + policy + "' (t38, g711, t38-then-g711 or g711-then-t38)");
                continue;
            }
            if (!seen.add(prefix)) {
                reader.problem(key, value, "prefix " + prefix + " is given twice");
                continue;
            }
            if (!routes.isEmpty() && routes.stream().noneMatch(prefix::startsWith)) {
                reader.problem(key, value, "prefix " + prefix + " is outside this line's route (" + String.join(",", routes)
                        + "): the line never dials those numbers");
                continue;
            }
            out.add(new RoutePolicy(prefix, p.get()));
        }
        return out;
    }

    private LineConfig.Transport transport(String key, String value) {
        if (value == null || value.isEmpty()) return LineConfig.Transport.UDP;
        switch (value.toLowerCase(Locale.ROOT)) {
            case "udp":
                return LineConfig.Transport.UDP;
            case "tcp":
                return LineConfig.Transport.TCP;
            case "tls":
                reader.problem(key, value, "TLS is not supported yet; use udp or tcp");
                return LineConfig.Transport.UDP;
            default:
                reader.problem(key, value, "unknown transport (udp or tcp)");
                return LineConfig.Transport.UDP;
        }
    }

    private List<String> routes(String key, String value) {
        List<String> out = new ArrayList<>();
        for (String r : list(value)) {
            if (!r.matches("\\+[0-9]{0,15}")) reader.problem(key, value, "'" + r + "' is not an E.164 prefix; write it as + and digits, e.g. +4930");
            else out.add(r);
        }
        return out;
    }

    /** Networks and addresses, comma-separated, e.g. {@code 192.0.2.0/24, 198.51.100.7}; literals only. */
    private List<IpNetwork> networks(String key, String value) {
        List<IpNetwork> out = new ArrayList<>();
        for (String n : list(value)) {
            try {
                IpNetwork net = IpNetwork.parse(n);
                if (net.prefix() == 0) reader.problem(key, value, "'" + n + "' would trust every address; list the networks that may call");
                else out.add(net);
            } catch (IllegalArgumentException e) {
                reader.problem(key, value, e.getMessage());
            }
        }
        return out;
    }

    private String sipToken(String key, String value, boolean required) {
        if (value == null || value.isEmpty()) {
            if (required) reader.problem(key, "", "required for a SIP line");
            return null;
        }
        if (!SIP_TOKEN.matcher(value).matches()) {
            reader.problem(key, value, "must not contain spaces, '@', ':', ';', '<', '>' or '\"'");
            return null;
        }
        return value;
    }

    private HostPort hostPort(String key, String value) {
        try {
            return HostPort.parse(value, HostPort.SIP_PORT);
        } catch (IllegalArgumentException e) {
            reader.problem(key, value, e.getMessage());
            return null;
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new LinkedHashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }
}
