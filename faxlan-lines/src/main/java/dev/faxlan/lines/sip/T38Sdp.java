package dev.faxlan.lines.sip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The T.38 media description of SDP (ITU-T T.38 Annex D, RFC 4612 registrations): the
 * {@code m=image PORT udptl t38} line and its {@code a=T38…} attributes, parsed leniently the way
 * deployed gateways need (field notes §4): names case-insensitively, Asterisk's aliases
 * {@code T38MaxDatagram}/{@code T38FaxMaxRate}, Cisco's valued booleans ({@code T38FaxFillBitRemoval:0}
 * is false), and an answer built the way Asterisk and FreeSWITCH build theirs.
 */
public final class T38Sdp {
    private T38Sdp() {}

    /** Error correction in UDPTL. */
    public enum Ec {
        REDUNDANCY("t38UDPRedundancy"), FEC("t38UDPFEC"), NONE("t38UDPNoEC");

        final String sdp;

        Ec(String sdp) {
            this.sdp = sdp;
        }
    }

    /**
     * One side's T.38 parameters. {@code booleans} holds only the boolean attributes that were present,
     * with their value, so an answer can mirror exactly what was offered.
     */
    public record Params(int port, int version, int maxBitRate, boolean transferredTcf, int maxBuffer, int maxDatagram, Ec ec,
            Map<String, Boolean> booleans, boolean valuedBooleans) {
        public Params {
            booleans = Map.copyOf(booleans);
        }

        public boolean fillBitRemoval() {
            return booleans.getOrDefault("T38FaxFillBitRemoval", false);
        }
    }

    /** What faxlan offers: version 2, 14400 bit/s, transferred TCF, redundancy, a 400-octet datagram. */
    public static Params faxlanOffer(int port) {
        return faxlanOffer(port, 400);
    }

    /** As {@link #faxlanOffer(int)}, announcing {@code maxDatagram} as our T38FaxMaxDatagram. */
    public static Params faxlanOffer(int port, int maxDatagram) {
        return new Params(port, 2, 14400, true, 2000, maxDatagram, Ec.REDUNDANCY, Map.of(), false);
    }

    /** The T.38 stream of an SDP body, if it has one (the first {@code m=image … udptl t38} section). */
    public static Optional<Params> parse(String sdp) {
        List<String> lines = sdp.lines().map(String::strip).toList();
        int port = -1;
        boolean inImage = false;
        int version = 0;
        int maxBitRate = 14400;
        boolean transferred = true;
        int maxBuffer = 0;
        int maxDatagram = 0;
        Ec ec = Ec.NONE;
        boolean ecSeen = false;
        boolean valued = false;
        Map<String, Boolean> booleans = new LinkedHashMap<>();
        for (String l : lines) {
            if (l.startsWith("m=")) {
                if (inImage) break;
                String[] f = l.substring(2).split("\\s+");
                inImage = f.length >= 4 && f[0].equalsIgnoreCase("image") && f[2].equalsIgnoreCase("udptl") && f[3].equalsIgnoreCase("t38");
                if (inImage) {
                    try {
                        port = Integer.parseInt(f[1]);
                    } catch (NumberFormatException e) {
                        inImage = false;
                    }
                }
                continue;
            }
            if (!inImage || !l.startsWith("a=")) continue;
            String attr = l.substring(2);
            int colon = attr.indexOf(':');
            String name = (colon < 0 ? attr : attr.substring(0, colon)).strip();
            String value = colon < 0 ? null : attr.substring(colon + 1).strip();
            switch (name.toLowerCase(Locale.ROOT)) {
                case "t38faxversion" -> version = intOr(value, 0);
                case "t38maxbitrate", "t38faxmaxrate" -> maxBitRate = intOr(value, 14400);
                case "t38faxratemanagement" -> transferred = value == null || !value.equalsIgnoreCase("localTCF");
                case "t38faxmaxbuffer" -> maxBuffer = intOr(value, 0);
                case "t38faxmaxdatagram", "t38maxdatagram" -> maxDatagram = intOr(value, 0);
                case "t38faxudpec" -> {
                    ecSeen = true;
                    ec = value == null ? Ec.NONE : value.equalsIgnoreCase("t38UDPFEC") ? Ec.FEC
                            : value.equalsIgnoreCase("t38UDPRedundancy") ? Ec.REDUNDANCY : Ec.NONE;
                }
                case "t38faxfillbitremoval", "t38faxtranscodingmmr", "t38faxtranscodingjbig" -> {
                    String canonical = switch (name.toLowerCase(Locale.ROOT)) {
                        case "t38faxfillbitremoval" -> "T38FaxFillBitRemoval";
                        case "t38faxtranscodingmmr" -> "T38FaxTranscodingMMR";
                        default -> "T38FaxTranscodingJBIG";
                    };
                    // Presence means true; Cisco writes ":0" for false and ":1" for true.
                    if (value != null) valued = true;
                    booleans.put(canonical, value == null || !value.equals("0"));
                }
                default -> {
                    // other attributes (T38FaxMaxIFP, vendor ones) do not change what we send
                }
            }
        }
        if (port < 0) return Optional.empty();
        if (!ecSeen) ec = Ec.NONE;
        return Optional.of(new Params(port, version, maxBitRate, transferred, maxBuffer, maxDatagram, ec, booleans, valued));
    }

    /**
     * Our answer to an offer: the lower version, our rate, the offer's rate management, booleans only
     * as offered (we do no fill-bit removal or transcoding, so they answer false, in the offer's style),
     * redundancy (we send redundancy and receive both), our datagram size.
     */
    public static Params answer(Params offer, int ourPort) {
        return answer(offer, ourPort, 400);
    }

    /** As {@link #answer(Params, int)}, announcing {@code maxDatagram} as our T38FaxMaxDatagram. */
    public static Params answer(Params offer, int ourPort, int maxDatagram) {
        Map<String, Boolean> booleans = new LinkedHashMap<>();
        for (String name : offer.booleans().keySet()) booleans.put(name, false);
        return new Params(ourPort, Math.min(offer.version(), 2), Math.min(14400, offer.maxBitRate() > 0 ? offer.maxBitRate() : 14400),
                offer.transferredTcf(), 2000, maxDatagram, Ec.REDUNDANCY, booleans, offer.valuedBooleans());
    }

    /** The far end's datagram limit as we honour it: Asterisk's reading (400 if absent, 0 or above 1400). */
    public static int peerMaxDatagram(Params p) {
        return p.maxDatagram() <= 0 || p.maxDatagram() > 1400 ? 400 : p.maxDatagram();
    }

    /** The media section for {@code p}: the m= line and its attributes, CRLF-terminated. */
    public static String format(Params p) {
        List<String> out = new ArrayList<>();
        out.add("m=image " + p.port() + " udptl t38");
        out.add("a=T38FaxVersion:" + p.version());
        out.add("a=T38MaxBitRate:" + p.maxBitRate());
        for (Map.Entry<String, Boolean> b : p.booleans().entrySet()) {
            if (p.valuedBooleans()) out.add("a=" + b.getKey() + ":" + (b.getValue() ? 1 : 0));
            else if (b.getValue()) out.add("a=" + b.getKey());
        }
        out.add("a=T38FaxRateManagement:" + (p.transferredTcf() ? "transferredTCF" : "localTCF"));
        out.add("a=T38FaxMaxBuffer:" + p.maxBuffer());
        out.add("a=T38FaxMaxDatagram:" + p.maxDatagram());
        out.add("a=T38FaxUdpEC:" + p.ec().sdp);
        return String.join("\r\n", out) + "\r\n";
    }

    private static int intOr(String v, int dflt) {
        if (v == null) return dflt;
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
