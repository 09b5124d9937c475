package dev.faxlan.lines.sip;

import dev.faxlan.lines.rtp.RtpPacket;
import dev.faxlan.modem.g711.G711;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The audio media section of SDP for a fax over G.711 (RFC 3551, RFC 3264): we offer PCMU and PCMA
 * in 20 ms packets and answer with the first of them the offer lists. Anything else offered
 * (telephone-event, comfort noise, other codecs) is left out of the answer and ignored on the wire.
 * {@code a=rtcp-mux} (RFC 5761) is offered and answered when offered: then our RTCP shares the RTP port.
 */
public final class AudioSdp {
    private AudioSdp() {}

    /** Packet duration we send and ask for. */
    public static final int PTIME_MS = 20;

    /** An accepted audio section: where to send, the G.711 payload type chosen, and whether RTCP is muxed. */
    public record Offer(SessionSdp.Media media, int payloadType, G711 law, boolean rtcpMux) {}

    /** The first audio section with a port, an address and PCMU or PCMA among its formats (in the offer's order). */
    public static Optional<Offer> in(String sdp) {
        List<String> lines = sdp.lines().map(String::strip).toList();
        List<SessionSdp.Media> media = SessionSdp.media(sdp);
        int section = -1;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.startsWith("m=")) continue;
            section++;
            if (section >= media.size()) break;
            SessionSdp.Media m = media.get(section);
            if (!m.isAudio() || m.port() <= 0 || m.address() == null || !m.proto().toUpperCase(Locale.ROOT).startsWith("RTP/")) continue;
            // the section's attributes: rtpmap names for dynamic types, rtcp-mux
            Map<Integer, String> names = new HashMap<>();
            boolean mux = false;
            for (int j = i + 1; j < lines.size() && !lines.get(j).startsWith("m="); j++) {
                String a = lines.get(j);
                if (a.equalsIgnoreCase("a=rtcp-mux")) mux = true;
                else if (a.regionMatches(true, 0, "a=rtpmap:", 0, 9)) {
                    String[] f = a.substring(9).strip().split("\\s+", 2);
                    try {
                        if (f.length == 2) names.put(Integer.parseInt(f[0]), f[1].toUpperCase(Locale.ROOT));
                    } catch (NumberFormatException e) {
                        // not a payload type: ignored
                    }
                }
            }
            for (String f : m.formats().strip().split("\\s+")) {
                int pt;
                try {
                    pt = Integer.parseInt(f);
                } catch (NumberFormatException e) {
                    continue;
                }
                String name = names.get(pt);
                boolean pcmu = name != null ? name.startsWith("PCMU/8000") : pt == RtpPacket.PCMU;
                boolean pcma = name != null ? name.startsWith("PCMA/8000") : pt == RtpPacket.PCMA;
                if (pcmu || pcma) return Optional.of(new Offer(m, pt, pcmu ? G711.ULAW : G711.ALAW, mux));
            }
        }
        return Optional.empty();
    }

    /** Our offer's media section: PCMU then PCMA, 20 ms, RTCP muxed if the peer agrees. */
    public static String offer(int port) {
        return "m=audio " + port + " RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=ptime:" + PTIME_MS
                + "\r\na=rtcp-mux\r\na=sendrecv\r\n";
    }

    /**
     * A whole answer to {@code offered}: the chosen audio section accepted with its one G.711 type,
     * every other section refused with port 0 (RFC 3264 §6: one answer section per offered one, in order).
     */
    public static String answer(String address, long sessionId, long version, List<SessionSdp.Media> offered, Offer chosen, int ourPort) {
        StringBuilder b = new StringBuilder(SessionSdp.withoutMedia(address, sessionId, version));
        boolean done = false;
        for (SessionSdp.Media m : offered) {
            if (!done && m.equals(chosen.media())) {
                int pt = chosen.payloadType();
                b.append("m=audio ").append(ourPort).append(" RTP/AVP ").append(pt).append("\r\na=rtpmap:").append(pt)
                        .append(chosen.law() == G711.ALAW ? " PCMA/8000" : " PCMU/8000").append("\r\na=ptime:").append(PTIME_MS).append("\r\n");
                if (chosen.rtcpMux()) b.append("a=rtcp-mux\r\n");
                b.append("a=sendrecv\r\n");
                done = true;
            } else {
                b.append("m=").append(m.type()).append(" 0 ").append(m.proto()).append(' ').append(m.formats().isBlank() ? "0" : m.formats()).append("\r\n");
            }
        }
        return b.toString();
    }
}
