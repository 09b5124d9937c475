package dev.faxlan.lines;

import dev.faxlan.protocol.HostPort;
import dev.faxlan.lines.sip.IpNetwork;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The server's fax lines, read from properties (docs/lines.md lists the keys):
 * {@code line.<name>.<setting>} per line, {@code numbers.<setting>} for the number plan people
 * type numbers in, and {@code sip.port}, {@code sip.bind}, {@code sip.loopback-port}. The
 * built-in line {@code loopback} exists unless {@code line.loopback.enabled=false}.
 *
 * <p>Everything is checked at once when parsed; a {@link LinesConfigException} then lists every
 * problem with its key and value (never a password).
 */
public final class LinesConfig {
    public static final int DEFAULT_SIP_PORT = 5060;

    private static final Set<String> PLAN_KEYS = Set.of("country-code", "national-prefix", "international-prefix", "area-code",
            "national-length", "short-max");
    private static final Set<String> SIP_KEYS = union(PLAN_KEYS, Set.of("enabled", "kind", "registrar", "outbound-proxy", "user",
            "auth-user", "password", "password-file", "realm", "domain", "channels", "number", "dids", "register", "register-expiry",
            "transport", "route", "dial", "trusted", "media-any-address"));
    private static final Set<String> LOOPBACK_KEYS = Set.of("enabled", "channels", "number", "dids");
    /** What may appear in a SIP URI user part or host without escaping, roughly: no spaces, '@', ':', '<', '>', ';' or '"'. */
    private static final Pattern SIP_TOKEN = Pattern.compile("[^\\s@:<>;\"]+");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    private final List<LineConfig> lines;
    private final NumberPlan numberPlan;
    private final int sipPort;
    private final InetAddress sipBind;
    private final int loopbackPort;
    private final Set<String> loopbackNumbers;

    private LinesConfig(List<LineConfig> lines, NumberPlan numberPlan, int sipPort, InetAddress sipBind, int loopbackPort) {
        this.lines = List.copyOf(lines);
        this.numberPlan = numberPlan;
        this.sipPort = sipPort;
        this.sipBind = sipBind;
        this.loopbackPort = loopbackPort;
        Set<String> numbers = new LinkedHashSet<>();
        loopback().ifPresent(l -> {
            numbers.add(l.number());
            numbers.addAll(l.dids());
        });
        this.loopbackNumbers = Set.copyOf(numbers);
    }

    /** Parses the settings; relative {@code password-file} paths are taken from the working directory. */
    public static LinesConfig parse(Properties props) {
        return parse(props, Path.of(""));
    }

    /**
     * Parses the settings.
     *
     * @param baseDir where relative {@code password-file} paths start (the directory of the file
     *     the properties came from)
     * @throws LinesConfigException listing every problem found
     */
    public static LinesConfig parse(Properties props, Path baseDir) {
        return new Parser(props, baseDir).parse();
    }

    /** Every enabled line: the loopback line first, then the SIP lines in routing order. */
    public List<LineConfig> lines() {
        return lines;
    }

    public List<LineConfig> sipLines() {
        return lines.stream().filter(l -> !l.isLoopback()).toList();
    }

    public Optional<LineConfig> loopback() {
        return lines.stream().filter(LineConfig::isLoopback).findFirst();
    }

    public Optional<LineConfig> line(String name) {
        return lines.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** The plan numbers typed by users are normalised with before routing. */
    public NumberPlan numberPlan() {
        return numberPlan;
    }

    /** Numbers that reach the loopback line (its number and DIDs); empty when it is disabled. */
    public Set<String> loopbackNumbers() {
        return loopbackNumbers;
    }

    /** SIP port of the first SIP line; further SIP lines take the following ports. */
    public int sipPort() {
        return sipPort;
    }

    /** Address the SIP lines listen on; the wildcard address by default. */
    public InetAddress sipBind() {
        return sipBind;
    }

    /** SIP port of the loopback line (on 127.0.0.1); 0 for any free port. */
    public int loopbackPort() {
        return loopbackPort;
    }

    /**
     * The line an outbound fax to {@code number} goes out on: the loopback line for its numbers,
     * else the SIP line with the longest matching {@code route} prefix (a line without routes
     * matches every number, as the shortest prefix); among equals, the first in routing order.
     *
     * @param number as typed or already normalised; it is normalised with {@link #numberPlan()}
     * @return empty when no line takes the number
     * @throws IllegalArgumentException when the number cannot be normalised
     */
    public Optional<LineConfig> lineFor(String number) {
        String n = numberPlan.normalise(number);
        if (loopbackNumbers.contains(n)) return loopback();
        LineConfig best = null;
        int bestMatch = -1;
        for (LineConfig l : lines) {
            if (l.isLoopback()) continue;
            int m = l.routeMatch(n);
            if (m > bestMatch) {
                best = l;
                bestMatch = m;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Why a fax to {@code number} cannot be sent on these lines, in one line naming the number: it
     * cannot be normalised (the number plan's reason), or no line takes it. Empty when a line does.
     * Never throws, so a server can ask before it makes a job.
     */
    public Optional<String> whyNotDialable(String number) {
        String n;
        try {
            n = numberPlan.normalise(number);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        if (lineFor(n).isPresent()) return Optional.empty();
        String shown = n.equals(number) ? n : "'" + number + "' (" + n + ")";
        return Optional.of(lines.isEmpty() ? "no fax line takes " + shown + ": the server has no fax lines"
                : "no fax line takes " + shown + ": " + (sipLines().isEmpty() ? "the server has only the loopback line ("
                        + String.join(", ", new java.util.TreeSet<>(loopbackNumbers)) + "); numbers outside need a SIP trunk"
                        : "no line's route covers it"));
    }

    @Override
    public String toString() {
        return "LinesConfig[sip " + sipBind.getHostAddress() + ":" + sipPort + ", lines=" + lines + "]";
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new LinkedHashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }

    /** One parse: collects problems instead of stopping at the first. */
    private static final class Parser {
        private final Properties props;
        private final Path baseDir;
        private final List<String> problems = new ArrayList<>();

        Parser(Properties props, Path baseDir) {
            this.props = props;
            this.baseDir = baseDir;
        }

        LinesConfig parse() {
            int sipPort = port("sip.port", DEFAULT_SIP_PORT, 1);
            int loopbackPort = port("sip.loopback-port", 0, 0);
            InetAddress bind = bindAddress();
            Map<String, String> numbers = new TreeMap<>();
            Map<String, Map<String, String>> byLine = new TreeMap<>();
            for (String key : props.stringPropertyNames()) {
                String value = props.getProperty(key).strip();
                if (key.startsWith("numbers.")) {
                    String setting = key.substring("numbers.".length());
                    if (PLAN_KEYS.contains(setting)) numbers.put(setting, value);
                    else problem(key, value, "unknown setting (known: " + sorted(PLAN_KEYS) + ")");
                } else if (key.startsWith("line.")) {
                    String rest = key.substring("line.".length());
                    int dot = rest.lastIndexOf('.');
                    if (dot <= 0 || dot == rest.length() - 1) {
                        problem(key, value, "expected line.<name>.<setting>");
                        continue;
                    }
                    String name = rest.substring(0, dot);
                    if (!LineConfig.NAME.matcher(name).matches()) {
                        problem(key, value, "line name '" + name + "' must be 1 to 32 letters, digits, '-' or '_'");
                        continue;
                    }
                    byLine.computeIfAbsent(name, n -> new TreeMap<>()).put(rest.substring(dot + 1), value);
                }
            }
            NumberPlan global = plan(numbers, "numbers.", NumberPlan.forCountry(""), false);

            List<LineConfig> lines = new ArrayList<>();
            Map<String, String> loopbackKeys = byLine.getOrDefault(LineConfig.LOOPBACK_NAME, Map.of());
            byLine.remove(LineConfig.LOOPBACK_NAME);
            if (bool("line.loopback.enabled", loopbackKeys.get("enabled"), true)) {
                LineConfig l = loopbackLine(loopbackKeys, global);
                if (l != null) lines.add(l);
            } else {
                unknownKeys("line.loopback.", loopbackKeys, LOOPBACK_KEYS);
            }
            Map<String, LineConfig> sip = new LinkedHashMap<>();
            for (Map.Entry<String, Map<String, String>> e : byLine.entrySet()) {
                LineConfig l = sipLine(e.getKey(), e.getValue(), global);
                if (l != null) sip.put(e.getKey(), l);
            }
            lines.addAll(ordered(sip, byLine.keySet()));
            if (!problems.isEmpty()) throw new LinesConfigException(problems);
            return new LinesConfig(lines, global, sipPort, bind, loopbackPort);
        }

        /** SIP lines in the order of {@code lines.order}, the rest after them by name. */
        private List<LineConfig> ordered(Map<String, LineConfig> sip, Set<String> configured) {
            String order = props.getProperty("lines.order");
            List<LineConfig> out = new ArrayList<>();
            if (order != null) {
                for (String name : list(order)) {
                    if (!configured.contains(name)) {
                        problem("lines.order", order, "no line named '" + name + "' is configured");
                    } else if (sip.containsKey(name) && !out.contains(sip.get(name))) {
                        out.add(sip.get(name));
                    }
                }
            }
            for (LineConfig l : sip.values()) {
                if (!out.contains(l)) out.add(l);
            }
            return out;
        }

        private LineConfig loopbackLine(Map<String, String> k, NumberPlan plan) {
            String p = "line.loopback.";
            unknownKeys(p, k, LOOPBACK_KEYS);
            int channels = integer(p + "channels", k.get("channels"), LineConfig.DEFAULT_LOOPBACK_CHANNELS, 1, LineConfig.MAX_CHANNELS);
            String number = k.getOrDefault("number", LineConfig.LOOPBACK_NUMBER);
            String normalised = number(p + "number", number, plan);
            List<String> dids = numbers(p + "dids", k.get("dids"), plan);
            if (normalised == null) return null;
            return build(p, () -> LineConfig.loopback(channels, normalised, dids, plan));
        }

        private LineConfig sipLine(String name, Map<String, String> k, NumberPlan global) {
            String p = "line." + name + ".";
            unknownKeys(p, k, SIP_KEYS);
            if (!bool(p + "enabled", k.get("enabled"), true)) return null;
            int before = problems.size();
            String kind = k.get("kind");
            if (kind != null && !kind.equalsIgnoreCase("sip")) {
                problem(p + "kind", kind, kind.equalsIgnoreCase("loopback") ? "only the built-in line 'loopback' is a loopback line"
                        : "unknown kind (sip)");
            }
            HostPort registrar = null;
            String r = k.get("registrar");
            if (r == null || r.isEmpty()) problem(p + "registrar", "", "a SIP line needs its registrar, host[:port]");
            else registrar = hostPort(p + "registrar", r);
            HostPort proxy = k.containsKey("outbound-proxy") && !k.get("outbound-proxy").isEmpty()
                    ? hostPort(p + "outbound-proxy", k.get("outbound-proxy")) : null;
            String user = sipToken(p + "user", k.get("user"), true);
            String authUser = sipToken(p + "auth-user", k.get("auth-user"), false);
            String realm = emptyToNull(k.get("realm"));
            String domain = sipToken(p + "domain", k.get("domain"), false);
            Optional<String> password = password(p, k);
            LineConfig.Transport transport = transport(p + "transport", k.get("transport"));
            int channels = integer(p + "channels", k.get("channels"), LineConfig.DEFAULT_CHANNELS, 1, LineConfig.MAX_CHANNELS);
            boolean register = bool(p + "register", k.get("register"), true);
            int expiry = integer(p + "register-expiry", k.get("register-expiry"), LineConfig.DEFAULT_REGISTER_EXPIRY,
                    LineConfig.MIN_REGISTER_EXPIRY, LineConfig.MAX_REGISTER_EXPIRY);
            NumberPlan plan = plan(k, p, global, true);
            String number = null;
            String n = k.get("number");
            if (n == null || n.isEmpty()) {
                problem(p + "number", "", "a SIP line needs its own fax number (E.164, e.g. +15550100), sent as CSID/TSI");
            } else {
                number = number(p + "number", n, plan);
                if (number != null && !NumberPlan.isE164(number)) {
                    problem(p + "number", n, "the own number of a SIP line must be a full number, not a short one");
                }
            }
            List<String> dids = numbers(p + "dids", k.get("dids"), plan);
            List<String> routes = routes(p + "route", k.get("route"));
            List<IpNetwork> trusted = networks(p + "trusted", k.get("trusted"));
            boolean mediaAnyAddress = bool(p + "media-any-address", k.get("media-any-address"), false);
            if (password.isPresent() && !register && realm == null) {
                problem(p + "realm", "", "needed when the line has a password but does not register: the realm is otherwise learned from "
                        + "the registrar's challenge, and the password answers no other realm");
            }
            if (problems.size() > before) return null;
            HostPort reg = registrar;
            String num = number;
            return build(p, () -> new LineConfig(name, LineConfig.Kind.SIP, reg, Optional.ofNullable(proxy), user, authUser, password,
                    Optional.ofNullable(realm), domain, channels, num, dids, register, expiry, transport, plan, routes, trusted, mediaAnyAddress));
        }

        private LineConfig build(String prefix, java.util.function.Supplier<LineConfig> make) {
            try {
                return make.get();
            } catch (IllegalArgumentException | NullPointerException e) {
                problems.add(prefix + "*: " + e.getMessage());
                return null;
            }
        }

        /**
         * The number plan under {@code prefix}. A country code given there starts from that
         * country's usual plan; without one, the settings refine {@code inherited}.
         */
        private NumberPlan plan(Map<String, String> k, String prefix, NumberPlan inherited, boolean withDial) {
            NumberPlan plan = inherited;
            String cc = k.get("country-code");
            if (cc != null) {
                if (!cc.matches("[1-9][0-9]{0,2}")) problem(prefix + "country-code", cc, "a country code is 1 to 3 digits, e.g. 1, 44 or 49");
                else plan = NumberPlan.forCountry(cc);
            }
            String national = k.get("national-prefix");
            String international = k.get("international-prefix");
            if (national != null || international != null) {
                try {
                    plan = plan.withPrefixes(national != null ? national : plan.nationalPrefix(),
                            international != null ? international : plan.internationalPrefix());
                } catch (IllegalArgumentException e) {
                    String key = international == null ? "national-prefix" : national == null ? "international-prefix" : null;
                    if (key != null) problem(prefix + key, k.get(key), e.getMessage());
                    else problems.add(prefix + "national-prefix=" + national + ", " + prefix + "international-prefix=" + international
                            + ": " + e.getMessage());
                }
            }
            String area = k.get("area-code");
            if (area != null) {
                try {
                    plan = plan.withAreaCode(area);
                } catch (IllegalArgumentException e) {
                    problem(prefix + "area-code", area, e.getMessage());
                }
            }
            String length = k.get("national-length");
            if (length != null) {
                int l = integer(prefix + "national-length", length, 0, 0, NumberPlan.MAX_E164_DIGITS);
                plan = plan.withNationalLength(l);
            }
            String shortMax = k.get("short-max");
            if (shortMax != null) {
                plan = plan.withShortMax(integer(prefix + "short-max", shortMax, NumberPlan.DEFAULT_SHORT_MAX, 0, NumberPlan.MAX_SHORT_MAX));
            }
            String dial = k.get("dial");
            if (withDial && dial != null) {
                try {
                    plan = plan.withDial(dial);
                } catch (IllegalArgumentException e) {
                    problem(prefix + "dial", dial, e.getMessage());
                }
            }
            return plan;
        }

        private Optional<String> password(String p, Map<String, String> k) {
            String inline = k.get("password");
            String file = emptyToNull(k.get("password-file"));
            if (inline != null && file != null) {
                problems.add(p + "password and " + p + "password-file: give one of them, not both");
                return Optional.empty();
            }
            if (file != null) {
                Path f = baseDir.resolve(file);
                try {
                    String pw = Files.readString(f, StandardCharsets.UTF_8).strip();
                    if (pw.isEmpty()) problem(p + "password-file", file, "the file is empty");
                    return pw.isEmpty() ? Optional.empty() : Optional.of(pw);
                } catch (IOException e) {
                    problem(p + "password-file", file, "cannot read " + f.toAbsolutePath() + " (" + e.getClass().getSimpleName() + ")");
                    return Optional.empty();
                }
            }
            return Optional.ofNullable(emptyToNull(inline));
        }

        private LineConfig.Transport transport(String key, String value) {
            if (value == null || value.isEmpty()) return LineConfig.Transport.UDP;
            switch (value.toLowerCase(Locale.ROOT)) {
                case "udp":
                    return LineConfig.Transport.UDP;
                case "tcp":
                    return LineConfig.Transport.TCP;
                case "tls":
                    problem(key, value, "TLS is not supported yet; use udp or tcp");
                    return LineConfig.Transport.UDP;
                default:
                    problem(key, value, "unknown transport (udp or tcp)");
                    return LineConfig.Transport.UDP;
            }
        }

        private List<String> routes(String key, String value) {
            List<String> out = new ArrayList<>();
            for (String r : list(value)) {
                if (!r.matches("\\+[0-9]{0,15}")) problem(key, value, "'" + r + "' is not an E.164 prefix; write it as + and digits, e.g. +4930");
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
                    if (net.prefix() == 0) problem(key, value, "'" + n + "' would trust every address; list the networks that may call");
                    else out.add(net);
                } catch (IllegalArgumentException e) {
                    problem(key, value, e.getMessage());
                }
            }
            return out;
        }

        private List<String> numbers(String key, String value, NumberPlan plan) {
            List<String> out = new ArrayList<>();
            for (String n : list(value)) {
                String norm = number(key, n, plan);
                if (norm != null && !out.contains(norm)) out.add(norm);
            }
            return out;
        }

        private String number(String key, String value, NumberPlan plan) {
            try {
                return plan.normalise(value);
            } catch (IllegalArgumentException e) {
                problem(key, value, e.getMessage());
                return null;
            }
        }

        private String sipToken(String key, String value, boolean required) {
            if (value == null || value.isEmpty()) {
                if (required) problem(key, "", "required for a SIP line");
                return null;
            }
            if (!SIP_TOKEN.matcher(value).matches()) {
                problem(key, value, "must not contain spaces, '@', ':', ';', '<', '>' or '\"'");
                return null;
            }
            return value;
        }

        private HostPort hostPort(String key, String value) {
            try {
                return HostPort.parse(value, HostPort.SIP_PORT);
            } catch (IllegalArgumentException e) {
                problem(key, value, e.getMessage());
                return null;
            }
        }

        private int port(String key, int dflt, int min) {
            return integer(key, props.getProperty(key), dflt, min, 65535);
        }

        private InetAddress bindAddress() {
            String v = props.getProperty("sip.bind", "0.0.0.0").strip();
            // Only literals: a host name here would mean a DNS lookup at start-up and an address that can change.
            if (IPV4.matcher(v).matches() || (v.contains(":") && v.matches("[0-9A-Fa-f:.]+"))) {
                try {
                    return InetAddress.getByName(v);
                } catch (UnknownHostException e) {
                    // falls through to the problem below
                }
            }
            problem("sip.bind", v, "not an IPv4 or IPv6 address (e.g. 0.0.0.0, 192.0.2.10 or ::)");
            return InetAddress.getLoopbackAddress();
        }

        private int integer(String key, String value, int dflt, int min, int max) {
            if (value == null || value.isBlank()) return dflt;
            int v;
            try {
                v = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                problem(key, value, "not a whole number");
                return dflt;
            }
            if (v < min || v > max) {
                problem(key, value, "outside " + min + ".." + max);
                return dflt;
            }
            return v;
        }

        private boolean bool(String key, String value, boolean dflt) {
            if (value == null || value.isBlank()) return dflt;
            String v = value.strip().toLowerCase(Locale.ROOT);
            if (v.equals("true") || v.equals("yes")) return true;
            if (v.equals("false") || v.equals("no")) return false;
            problem(key, value, "not true or false");
            return dflt;
        }

        private void unknownKeys(String prefix, Map<String, String> k, Set<String> known) {
            for (Map.Entry<String, String> e : k.entrySet()) {
                if (!known.contains(e.getKey())) {
                    String shown = e.getKey().contains("password") ? "(hidden)" : e.getValue();
                    problem(prefix + e.getKey(), shown, "unknown setting" + (prefix.equals("line.loopback.")
                            ? " for the loopback line (known: " + sorted(known) + ")" : " (known: " + sorted(known) + ")"));
                }
            }
        }

        private void problem(String key, String value, String what) {
            problems.add(key + "=" + value + ": " + what);
        }

        private static List<String> list(String value) {
            if (value == null || value.isBlank()) return List.of();
            return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }

        private static String emptyToNull(String s) {
            return s == null || s.isEmpty() ? null : s;
        }

        private static String sorted(Set<String> keys) {
            return String.join(", ", new java.util.TreeSet<>(keys));
        }
    }
}
