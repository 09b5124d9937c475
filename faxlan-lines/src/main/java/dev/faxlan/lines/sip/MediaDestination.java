package dev.faxlan.lines.sip;

import dev.faxlan.protocol.IpNetwork;
import java.net.InetAddress;

/**
 * Where a call's UDPTL may go (issue #11): only to the address the peer signals from, unless the
 * line allows any address ({@link SipEndpoint.Trust#mediaAnyAddress}).
 */
final class MediaDestination {
    private MediaDestination() {}

    /**
     * Why media for {@code m} may not go where its SDP says, or null when it may: without
     * {@code mediaAnyAddress}, the SDP address must be the (literal) address the SDP came from.
     */
    static String refusal(SipEndpoint.Settings line, SessionSdp.Media m, InetAddress signalling) {
        if (line.trust().mediaAnyAddress()) return null;
        InetAddress a = IpNetwork.literal(m.address());
        String allow = "; line." + line.name() + ".media-any-address=true allows that";
        if (a == null) return "names media address '" + m.address() + "', not an IP address" + allow;
        if (signalling == null) return "sends media to " + a.getHostAddress() + " but where it came from is not known" + allow;
        if (!a.equals(signalling)) {
            return "sends media to " + a.getHostAddress() + ", not to the address it signals from (" + signalling.getHostAddress() + ")" + allow;
        }
        return null;
    }
}
