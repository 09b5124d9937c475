package dev.faxlan.cli.firewall;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address block such as {@code 10.1.0.0/16} or {@code fd00::/64}, kept as its network address. */
public record Cidr(InetAddress network, int prefix) {
    /**
     * Parses {@code ADDR[/PREFIX]} (a bare address is a single host); only literals, never a name to look up.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Cidr parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        if (!addr.matches("[0-9A-Fa-f:.]+") || !(addr.contains(":") || addr.matches("\\d+\\.\\d+\\.\\d+\\.\\d+"))) {
            throw new IllegalArgumentException("'" + text + "' is not an address block such as 192.0.2.0/24 or fd00::/64");
        }
        InetAddress a;
        try {
            a = InetAddress.getByName(addr);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an address block such as 192.0.2.0/24 or fd00::/64");
        }
        int max = a.getAddress().length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max) throw new IllegalArgumentException("'" + text + "': the prefix length must be 0 to " + max);
        }
        return new Cidr(mask(a, prefix), prefix);
    }

    public boolean isIpv6() {
        return network instanceof Inet6Address;
    }

    private static InetAddress mask(InetAddress a, int prefix) {
        byte[] b = a.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            b[i] = (byte) (b[i] & (0xff << (8 - keep)));
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return text(network) + "/" + prefix;
    }

    /** The address as firewall tools print it: IPv6 in its short form ({@code fd00::2}, RFC 5952). */
    public static String text(InetAddress a) {
        return dev.faxlan.protocol.HostPort.addressText(a);
    }
}
