package dev.faxlan.lines;

import dev.faxlan.lines.sip.MediaPorts;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The server's fax lines, read from properties (docs/lines.md lists the keys):
 * {@code line.<name>.<setting>} per line, {@code numbers.<setting>} for the number plan people
 * type numbers in, and {@code sip.port}, {@code sip.bind}, {@code sip.loopback-port}, {@code sip.media-ports}. The
 * built-in line {@code loopback} exists unless {@code line.loopback.enabled=false}.
 *
 * <p>Everything is checked at once when parsed; a {@link LinesConfigException} then lists every
 * problem with its key and value (never a password).
 */
public final class LinesConfig {
    public static final int DEFAULT_SIP_PORT = 5060;

    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    private final List<LineConfig> lines;
    private final NumberPlan numberPlan;
    private final int sipPort;
    private final InetAddress sipBind;
    private final int loopbackPort;
    private final Set<String> loopbackNumbers;
    private final MediaPorts mediaPorts;
    private final int mediaMemoryDays;
    private final int loopbackSpeed;

    /** How many times faster than real time the loopback line's calls run by default ({@code line.loopback.speed}). */
    public static final int DEFAULT_LOOPBACK_SPEED = 1;
    /** The fastest: beyond it a stall of a few hundred ms on a busy machine is seconds of call time, past T.30's timeouts. */
    public static final int MAX_LOOPBACK_SPEED = 20;

    /** Days a number whose calls failed on one media is tried with the other first ({@code lines.media-memory-days}). */
    public static final int DEFAULT_MEDIA_MEMORY_DAYS = 7;

    private LinesConfig(List<LineConfig> lines, NumberPlan numberPlan, int sipPort, InetAddress sipBind, int loopbackPort, MediaPorts mediaPorts,
            int mediaMemoryDays, int loopbackSpeed) {
        this.loopbackSpeed = loopbackSpeed;
        this.mediaPorts = mediaPorts;
        this.mediaMemoryDays = mediaMemoryDays;
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

    /** The UDP ports every line's call media binds in, {@code sip.media-ports}; one range shared by all lines. */
    /**
     * How long a number whose calls failed on one media (T.38 or G.711) starts with the other on lines
     * whose policy falls back ({@code lines.media-memory-days}, 0 to 365; 0 remembers nothing).
     */
    public java.time.Duration mediaMemory() {
        return java.time.Duration.ofDays(mediaMemoryDays);
    }

    public MediaPorts mediaPorts() {
        return mediaPorts;
    }

    /**
     * How many times faster than real time the loopback line's calls run ({@code line.loopback.speed}, 1 to
     * {@value #MAX_LOOPBACK_SPEED}): both ends are this server, so both run T.30 on the same scaled clock. For
     * tests and load trials; SIP lines always run in real time.
     */
    public int loopbackSpeed() {
        return loopbackSpeed;
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

    /** One parse: collects problems instead of stopping at the first. */
    private static final class Parser {
        private final Properties props;
        private final SettingsReader reader = new SettingsReader();
        private final LineSettings lineSettings;

        Parser(Properties props, Path baseDir) {
            this.props = props;
            this.lineSettings = new LineSettings(reader, baseDir);
        }

        LinesConfig parse() {
            int sipPort = port("sip.port", DEFAULT_SIP_PORT, 1);
            int loopbackPort = port("sip.loopback-port", 0, 0);
            InetAddress bind = bindAddress();
            MediaPorts media = mediaPorts();
            int memoryDays = reader.integer("lines.media-memory-days", props.getProperty("lines.media-memory-days"), DEFAULT_MEDIA_MEMORY_DAYS, 0, 365);
            Map<String, String> numbers = new TreeMap<>();
            Map<String, Map<String, String>> byLine = new TreeMap<>();
            for (String key : props.stringPropertyNames()) {
                String value = props.getProperty(key).strip();
                if (key.startsWith("numbers.")) {
                    String setting = key.substring("numbers.".length());
                    if (NumberPlanSettings.KEYS.contains(setting)) numbers.put(setting, value);
                    else reader.problem(key, value, "unknown setting (known: " + SettingsReader.sorted(NumberPlanSettings.KEYS) + ")");
                } else if (key.startsWith("line.")) {
                    String rest = key.substring("line.".length());
                    int dot = rest.lastIndexOf('.');
                    if (dot <= 0 || dot == rest.length() - 1) {
                        reader.problem(key, value, "expected line.<name>.<setting>");
                        continue;
                    }
                    String name = rest.substring(0, dot);
                    if (!LineConfig.NAME.matcher(name).matches()) {
                        reader.problem(key, value, "line name '" + name + "' must be 1 to 32 letters, digits, '-' or '_'");
                        continue;
                    }
                    byLine.computeIfAbsent(name, n -> new TreeMap<>()).put(rest.substring(dot + 1), value);
                }
            }
            NumberPlan global = new NumberPlanSettings(reader).read(numbers, "numbers.", NumberPlan.forCountry(""), false);

            List<LineConfig> lines = new ArrayList<>();
            Map<String, String> loopbackKeys = byLine.getOrDefault(LineConfig.LOOPBACK_NAME, Map.of());
            byLine.remove(LineConfig.LOOPBACK_NAME);
            int loopbackSpeed = reader.integer("line.loopback.speed", loopbackKeys.get("speed"), DEFAULT_LOOPBACK_SPEED, 1, MAX_LOOPBACK_SPEED);
            if (reader.bool("line.loopback.enabled", loopbackKeys.get("enabled"), true)) {
                LineConfig l = lineSettings.loopback(loopbackKeys, global);
                if (l != null) lines.add(l);
            } else {
                reader.unknownKeys("line.loopback.", loopbackKeys, LineSettings.LOOPBACK_KEYS);
            }
            Map<String, LineConfig> sip = new LinkedHashMap<>();
            for (Map.Entry<String, Map<String, String>> e : byLine.entrySet()) {
                LineConfig l = lineSettings.sip(e.getKey(), e.getValue(), global);
                if (l != null) sip.put(e.getKey(), l);
            }
            lines.addAll(ordered(sip, byLine.keySet()));
            if (!reader.problems().isEmpty()) throw new LinesConfigException(reader.problems());
            return new LinesConfig(lines, global, sipPort, bind, loopbackPort, media, memoryDays, loopbackSpeed);
        }

        /** SIP lines in the order of {@code lines.order}, the rest after them by name. */
        private List<LineConfig> ordered(Map<String, LineConfig> sip, Set<String> configured) {
            String order = props.getProperty("lines.order");
            List<LineConfig> out = new ArrayList<>();
            if (order != null) {
                for (String name : SettingsReader.list(order)) {
                    if (!configured.contains(name)) {
                        reader.problem("lines.order", order, "no line named '" + name + "' is configured");
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

        private int port(String key, int dflt, int min) {
            return reader.integer(key, props.getProperty(key), dflt, min, 65535);
        }

        private MediaPorts mediaPorts() {
            String v = props.getProperty("sip.media-ports");
            if (v == null || v.isBlank()) return MediaPorts.defaults();
            try {
                return MediaPorts.parse(v);
            } catch (IllegalArgumentException e) {
                reader.problem("sip.media-ports", v.strip(), e.getMessage());
                return MediaPorts.defaults();
            }
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
            reader.problem("sip.bind", v, "not an IPv4 or IPv6 address (e.g. 0.0.0.0, 192.0.2.10 or ::)");
            return InetAddress.getLoopbackAddress();
        }
    }
}
