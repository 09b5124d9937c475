package dev.faxlan.server.cpi.abuse;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The unit a per-source limit counts: an IPv4 address, or an IPv6 /64 (an IPv6 host can use any address
 * of its /64, so counting single addresses would let it multiply its share). IPv4-mapped IPv6 addresses
 * count as the IPv4 address they hold. A link-local IPv6 address (fe80::/10) counts alone: every host on
 * the link shares fe80::/64, so the /64 rule would make the whole link one source.
 *
 * @param kind what {@code bits} holds
 * @param bits the IPv4 address, the first 64 bits of an IPv6 address, or the last 64 of a link-local one
 */
public record SourceKey(Kind kind, long bits) {

    public enum Kind { IPV4, IPV6_SLASH_64, IPV6_LINK_LOCAL }

    public static SourceKey of(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) return new SourceKey(Kind.IPV4, Integer.toUnsignedLong(((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff)));
        if (isIpv4Mapped(b)) return new SourceKey(Kind.IPV4, Integer.toUnsignedLong(((b[12] & 0xff) << 24) | ((b[13] & 0xff) << 16) | ((b[14] & 0xff) << 8) | (b[15] & 0xff)));
        if (a.isLinkLocalAddress()) return new SourceKey(Kind.IPV6_LINK_LOCAL, longAt(b, 8));
        return new SourceKey(Kind.IPV6_SLASH_64, longAt(b, 0));
    }

    private static long longAt(byte[] b, int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) v = (v << 8) | (b[i] & 0xff);
        return v;
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case IPV4 -> ((bits >>> 24) & 0xff) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
            case IPV6_SLASH_64 -> String.format("%x:%x:%x:%x::/64", (bits >>> 48) & 0xffff, (bits >>> 32) & 0xffff, (bits >>> 16) & 0xffff, bits & 0xffff);
            case IPV6_LINK_LOCAL -> String.format("fe80::%x:%x:%x:%x", (bits >>> 48) & 0xffff, (bits >>> 32) & 0xffff, (bits >>> 16) & 0xffff, bits & 0xffff);
        };
    }
}
