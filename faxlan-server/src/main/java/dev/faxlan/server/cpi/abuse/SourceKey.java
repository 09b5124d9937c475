package dev.faxlan.server.cpi.abuse;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The unit a per-source limit counts: an IPv4 address, or an IPv6 /64 (an IPv6 host can use any address
 * of its /64, so counting single addresses would let it multiply its share). IPv4-mapped IPv6 addresses
 * count as the IPv4 address they hold.
 *
 * @param ipv6 whether {@code bits} is the first 64 bits of an IPv6 address rather than an IPv4 address
 */
public record SourceKey(boolean ipv6, long bits) {

    public static SourceKey of(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) return new SourceKey(false, Integer.toUnsignedLong(((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff)));
        if (isIpv4Mapped(b)) return new SourceKey(false, Integer.toUnsignedLong(((b[12] & 0xff) << 24) | ((b[13] & 0xff) << 16) | ((b[14] & 0xff) << 8) | (b[15] & 0xff)));
        long prefix = 0;
        for (int i = 0; i < 8; i++) prefix = (prefix << 8) | (b[i] & 0xff);
        return new SourceKey(true, prefix);
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    @Override
    public String toString() {
        if (!ipv6) return ((bits >>> 24) & 0xff) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
        return String.format("%x:%x:%x:%x::/64", (bits >>> 48) & 0xffff, (bits >>> 32) & 0xffff, (bits >>> 16) & 0xffff, bits & 0xffff);
    }
}
