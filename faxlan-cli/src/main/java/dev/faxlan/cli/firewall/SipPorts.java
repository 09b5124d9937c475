package dev.faxlan.cli.firewall;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The SIP side of a server's configuration as a firewall needs it: its lines' SIP ports and transports,
 * their registrars, and the media port range. Read from the server's configuration file with the keys the
 * server reads (docs/lines.md: {@code sip.port}, {@code sip.media-ports}, {@code line.<name>.*}), but only
 * those: this command runs on any client and needs none of the server's code.
 *
 * @param sipPorts the lines' SIP ports ({@code 5060} or {@code 5060-5061}); null when no SIP line is configured
 * @param transports {@code udp} and/or {@code tcp}
 * @param mediaPorts the media port range, {@code 20000-20999}
 */
public record SipPorts(String sipPorts, List<String> transports, String mediaPorts, List<String> header) {
    public static final int DEFAULT_SIP_PORT = 5060;
    /** The server's default for {@code sip.media-ports} (faxlan-lines {@code MediaPorts.DEFAULT}). */
    public static final String DEFAULT_MEDIA_PORTS = "20000-20999";
    private static final String NOT_COVERED = "The vendor note covers clients and server only, not the trunk side: these rules are for the";
    private static final String NOT_COVERED_2 = "firewall between this server and its SIP trunk. Uncomment the ones you need, and restrict them to";
    private static final String NOT_COVERED_3 = "the trunk's addresses (ip saddr / -s) where it has fixed ones.";

    /** A template with the server's defaults, for when no configuration file is given. */
    public static SipPorts defaults() {
        return new SipPorts(String.valueOf(DEFAULT_SIP_PORT), List.of("udp"), DEFAULT_MEDIA_PORTS, List.of(
                "--- SIP trunk side (commented out) ---", NOT_COVERED, NOT_COVERED_2, NOT_COVERED_3,
                "Server defaults shown: sip.port=" + DEFAULT_SIP_PORT + " for the first SIP line (each further line takes the next port),",
                "sip.media-ports=" + DEFAULT_MEDIA_PORTS + ". Give --config with the server's configuration file for its own values."));
    }

    /**
     * Reads the server's configuration file.
     *
     * @throws IllegalArgumentException when the file cannot be read or a value is not valid, naming the key and value
     */
    public static SipPorts read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read " + file + ": no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IllegalArgumentException("cannot read " + file + ": permission denied");
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: a malformed unicode escape in the file
            throw new IllegalArgumentException("cannot read " + file + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        }
        int first = port(p, "sip.port", DEFAULT_SIP_PORT);
        String media = p.getProperty("sip.media-ports", DEFAULT_MEDIA_PORTS).strip();
        int[] range = mediaRange(media);
        Map<String, Map<String, String>> lines = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (!key.startsWith("line.")) continue;
            String rest = key.substring("line.".length());
            int dot = rest.lastIndexOf('.');
            if (dot <= 0) continue;
            String name = rest.substring(0, dot);
            if (!name.equals("loopback")) lines.computeIfAbsent(name, n -> new TreeMap<>()).put(rest.substring(dot + 1), p.getProperty(key).strip());
        }
        List<String> enabled = new ArrayList<>();
        TreeSet<String> transports = new TreeSet<>();
        List<String> registrars = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> e : lines.entrySet()) {
            if (e.getValue().getOrDefault("enabled", "true").equalsIgnoreCase("false") || e.getValue().getOrDefault("enabled", "").equalsIgnoreCase("no")) continue;
            enabled.add(e.getKey());
            transports.add(e.getValue().getOrDefault("transport", "udp").toLowerCase(java.util.Locale.ROOT));
            String reg = e.getValue().get("registrar");
            if (reg != null) registrars.add(e.getKey() + " " + reg + (e.getValue().containsKey("outbound-proxy") ? " via " + e.getValue().get("outbound-proxy") : ""));
        }
        List<String> header = new ArrayList<>(List.of("--- SIP trunk side (commented out) ---", NOT_COVERED, NOT_COVERED_2, NOT_COVERED_3));
        String mediaPorts = range[0] + "-" + range[1];
        if (enabled.isEmpty()) {
            header.add("From " + file.getFileName() + ": no SIP lines are configured, so there are no SIP rules.");
            return new SipPorts(null, List.of(), mediaPorts, header);
        }
        int last = first + enabled.size() - 1;
        if (last > 65535) throw new IllegalArgumentException("sip.port=" + first + ": " + enabled.size() + " SIP lines need ports up to " + last);
        String sipPorts = first == last ? String.valueOf(first) : first + "-" + last;
        header.add("From " + file.getFileName() + ": SIP lines " + String.join(", ", enabled) + " on port" + (first == last ? " " : "s ") + sipPorts
                + ", media ports " + mediaPorts + ".");
        header.add("Trunks: " + String.join("; ", registrars) + ".");
        return new SipPorts(sipPorts, List.copyOf(transports), mediaPorts, header);
    }

    private static int port(Properties p, String key, int dflt) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) return dflt;
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 1 && n <= 65535) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + "=" + v.strip() + ": not a port (1..65535)");
    }

    /** {@code FIRST-LAST}, as the server checks it. */
    static int[] mediaRange(String v) {
        String[] parts = v.split("-", -1);
        try {
            if (parts.length == 2) {
                int a = Integer.parseInt(parts[0].strip());
                int b = Integer.parseInt(parts[1].strip());
                if (a >= 1024 && b <= 65535 && a <= b) return new int[] {a, b};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("sip.media-ports=" + v + ": expected a port range FIRST-LAST within 1024-65535, e.g. " + DEFAULT_MEDIA_PORTS);
    }
}
