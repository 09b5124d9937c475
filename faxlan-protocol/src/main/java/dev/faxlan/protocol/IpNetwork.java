package dev.faxlan.protocol;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network, {@code 192.0.2.0/24} or {@code 2001:db8::/32}, or one address
 * ({@code 198.51.100.7}, the same as {@code /32} or {@code /128}): an entry of
 * {@code line.<name>.trusted} or of the SMTP gateway's {@code senders.networks}. Only literal addresses: a name would mean a DNS lookup and a trust
 * that changes with it.
 *
 * @param address the network address (no host bits set)
 * @param prefix the number of leading bits that must match
 */
public record IpNetwork(InetAddress address, int prefix) {
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    public IpNetwork {
        Objects.requireNonNull(address, "address");
        int bits = address.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) throw new IllegalArgumentException("prefix /" + prefix + " outside 0.." + bits);
        byte[] a = address.getAddress();
        for (int i = prefix; i < bits; i++) {
            if ((a[i / 8] & (0x80 >>> (i % 8))) != 0) {
                throw new IllegalArgumentException(address.getHostAddress() + "/" + prefix + " has host bits set; write the network, e.g. "
                        + new IpNetwork(mask(address, prefix), prefix));
            }
        }
    }

    /** One address. */
    public static IpNetwork of(InetAddress a) {
        return new IpNetwork(a, a.getAddress().length * 8);
    }

    /**
     * Parses {@code address} or {@code address/prefix}.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static IpNetwork parse(String text) {
        String s = text == null ? "" : text.strip();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        InetAddress a = literal(addr);
        if (a == null) throw new IllegalArgumentException("'" + s + "' is not an IP address or network (e.g. 192.0.2.0/24, 198.51.100.7 or 2001:db8::/32)");
        int bits = a.getAddress().length * 8;
        if (slash < 0) return new IpNetwork(a, bits);
        String p = s.substring(slash + 1);
        if (!p.matches("[0-9]{1,3}")) throw new IllegalArgumentException("'" + s + "': the prefix length after '/' must be a number");
        int prefix = Integer.parseInt(p);
        if (prefix > bits) throw new IllegalArgumentException("'" + s + "': the prefix length is at most " + bits);
        return new IpNetwork(a, prefix);
    }

    /** An IPv4 or IPv6 literal as an address, without any DNS lookup; null when {@code s} is not one. */
    public static InetAddress literal(String s) {
        if (s == null) return null;
        boolean v4 = IPV4.matcher(s).matches();
        boolean v6 = !v4 && s.contains(":") && IPV6.matcher(s).matches();
        if (!v4 && !v6) return null;
        try {
            return InetAddress.getByName(s); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public boolean contains(InetAddress a) {
        if (a == null) return false;
        byte[] x = a.getAddress();
        byte[] n = address.getAddress();
        if (x.length != n.length) return false;
        for (int i = 0; i < prefix; i++) {
            int bit = 0x80 >>> (i % 8);
            if ((x[i / 8] & bit) != (n[i / 8] & bit)) return false;
        }
        return true;
    }

    private static InetAddress mask(InetAddress a, int prefix) {
        byte[] b = a.getAddress();
        for (int i = prefix; i < b.length * 8; i++) b[i / 8] &= (byte) ~(0x80 >>> (i % 8));
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        String h = text(address);
        return prefix == address.getAddress().length * 8 ? h : h + "/" + prefix;
    }

    /** An address as written in configuration: IPv6 in the short form of RFC 5952 ({@code 2001:db8::1}). */
    static String text(InetAddress a) {
        return HostPort.addressText(a);
    }
}
