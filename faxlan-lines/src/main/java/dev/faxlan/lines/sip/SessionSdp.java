package dev.faxlan.lines.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The session level of SDP (RFC 4566) as a fax endpoint needs it: the media sections offered, where
 * each one's media goes (a media-level {@code c=} overrides the session's), and building an offer or
 * an answer around {@link T38Sdp}'s media section.
 */
public final class SessionSdp {
    private SessionSdp() {}

    /** One {@code m=} section: type (audio, image…), port, protocol, formats, and its connection address. */
    public record Media(String type, int port, String proto, String formats, String address) {
        public boolean isT38() {
            return type.equalsIgnoreCase("image") && proto.equalsIgnoreCase("udptl") && formats.strip().equalsIgnoreCase("t38");
        }

        public boolean isAudio() {
            return type.equalsIgnoreCase("audio");
        }
    }

    /** The media sections of an SDP body, in order; empty when the body has none or is not SDP. */
    public static List<Media> media(String sdp) {
        List<Media> out = new ArrayList<>();
        String sessionAddress = null;
        String[] pending = null;
        String mediaAddress = null;
        for (String raw : sdp.lines().toList()) {
            String l = raw.strip();
            if (l.startsWith("c=")) {
                String a = connectionAddress(l);
                if (pending == null) sessionAddress = a;
                else mediaAddress = a;
            } else if (l.startsWith("m=")) {
                if (pending != null) add(out, pending, mediaAddress != null ? mediaAddress : sessionAddress);
                pending = l.substring(2).split("\\s+", 4);
                mediaAddress = null;
            }
        }
        if (pending != null) add(out, pending, mediaAddress != null ? mediaAddress : sessionAddress);
        return out;
    }

    private static void add(List<Media> out, String[] f, String address) {
        if (f.length < 3) return;
        int port;
        try {
            port = Integer.parseInt(f[1].contains("/") ? f[1].substring(0, f[1].indexOf('/')) : f[1]);
        } catch (NumberFormatException e) {
            return;
        }
        if (port < 0 || port > 65535) return;
        out.add(new Media(f[0], port, f[2], f.length > 3 ? f[3] : "", address));
    }

    private static String connectionAddress(String line) {
        String[] f = line.substring(2).strip().split("\\s+");
        if (f.length < 3) return null;
        String a = f[2];
        int slash = a.indexOf('/');
        return slash > 0 ? a.substring(0, slash) : a;
    }

    /** The first accepted (non-zero port) T.38 section with an address, if any. */
    public static Optional<Media> t38(String sdp) {
        return media(sdp).stream().filter(Media::isT38).filter(m -> m.port() > 0 && m.address() != null).findFirst();
    }

    /** Session description with one T.38 media section ({@link T38Sdp#format}). */
    public static String withT38(String address, long sessionId, long version, T38Sdp.Params t38) {
        return head(address, sessionId, version) + T38Sdp.format(t38);
    }

    /** An audio section answering a G.711 offer: PCMU and PCMA, so the call can be answered before the switch to T.38. */
    public static String withAudio(String address, long sessionId, long version, int port) {
        return head(address, sessionId, version) + "m=audio " + port + " RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=sendrecv\r\n";
    }

    /**
     * Answer to an offer with several sections: T.38 accepted in the first image section, everything
     * else refused with port 0 (RFC 3264 §6: one answer section per offered section, in order).
     */
    public static String answerT38(String address, long sessionId, long version, List<Media> offered, T38Sdp.Params ours) {
        StringBuilder b = new StringBuilder(head(address, sessionId, version));
        boolean done = false;
        for (Media m : offered) {
            if (!done && m.isT38() && m.port() > 0) {
                b.append(T38Sdp.format(ours));
                done = true;
            } else {
                b.append("m=").append(m.type()).append(" 0 ").append(m.proto()).append(' ').append(m.formats().isBlank() ? "0" : m.formats()).append("\r\n");
            }
        }
        return b.toString();
    }

    /** The session level alone (v=, o=, s=, c=, t=), for a media section to follow. */
    static String withoutMedia(String address, long sessionId, long version) {
        return head(address, sessionId, version);
    }

    /** Session description offering G.711 audio only ({@link AudioSdp#offer}). */
    public static String withAudioOffer(String address, long sessionId, long version, int port) {
        return head(address, sessionId, version) + AudioSdp.offer(port);
    }

    private static String head(String address, long sessionId, long version) {
        String ipv = address.contains(":") ? "IP6" : "IP4";
        return "v=0\r\no=faxlan " + sessionId + " " + version + " IN " + ipv + " " + address + "\r\ns=faxlan\r\nc=IN " + ipv + " " + address
                + "\r\nt=0 0\r\n";
    }
}
