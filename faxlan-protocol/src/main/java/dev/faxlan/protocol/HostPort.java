package dev.faxlan.protocol;

import java.util.regex.Pattern;

/**
 * A server address: a host name or IP address and a port. SIP servers in the configuration are read
 * with {@link #parse}, CPI servers as users type them with {@link #parseLenient}.
 *
 * @param host a DNS name, IPv4 address, or IPv6 address without brackets
 */
public record HostPort(String host, int port) {
    public static final int SIP_PORT = 5060;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    public HostPort {
        if (host == null || host.isEmpty()) throw new IllegalArgumentException("no host");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " outside 1..65535");
    }

    /**
     * Parses {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}.
     *
     * @throws IllegalArgumentException naming the text when it is none of these
     */
    public static HostPort parse(String text, int defaultPort) {
        String s = text == null ? "" : text.strip();
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("'" + text + "' has no closing ']'");
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) throw new IllegalArgumentException("'" + text + "' is not [address]:port");
                port = rest.substring(1);
            }
            if (!IPV6.matcher(host).matches() || !host.contains(":")) {
                throw new IllegalArgumentException("'" + text + "' does not hold an IPv6 address in brackets");
            }
        } else {
            int colon = s.indexOf(':');
            if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException("'" + text + "': write an IPv6 address in brackets, e.g. [2001:db8::1]:5060");
            }
            host = colon < 0 ? s : s.substring(0, colon);
            if (colon >= 0) port = s.substring(colon + 1);
            if (!NAME.matcher(host).matches()) throw new IllegalArgumentException("'" + text + "' is not a host name or address");
        }
        if (port == null) return new HostPort(host, defaultPort);
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has a port that is not a number");
        }
        if (p < 1 || p > 65535) throw new IllegalArgumentException("'" + text + "' has port " + p + ", outside 1..65535");
        return new HostPort(host, p);
    }

    /**
     * Parses a {@code HOST[:PORT]} argument as users type it: as {@link #parse}, and also a bare IPv6
     * address (which then has no port), a scoped one ({@code [fe80::1%eth0]:4644}) and host text that is
     * left to the resolver to judge.
     *
     * @throws IllegalArgumentException naming the text when it has no host or a bad port
     */
    public static HostPort parseLenient(String s, int defaultPort) {
        String host = s.strip();
        int port = defaultPort;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("missing ] in " + s);
            String rest = host.substring(close + 1);
            host = host.substring(1, close);
            if (rest.startsWith(":")) port = lenientPort(rest.substring(1), s);
            else if (!rest.isEmpty()) throw new IllegalArgumentException("unexpected text after ] in " + s);
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            port = lenientPort(host.substring(host.indexOf(':') + 1), s);
            host = host.substring(0, host.indexOf(':'));
        }
        if (host.isEmpty()) throw new IllegalArgumentException("no host in " + s);
        return new HostPort(host, port);
    }

    private static int lenientPort(String p, String whole) {
        try {
            int port = Integer.parseInt(p);
            if (port < 1 || port > 65535) throw new NumberFormatException();
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + whole);
        }
    }

    /** {@code host:port}, with an IPv6 host in brackets: the form SIP URIs and Via headers use. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * An IP address as people write it: IPv4 dotted, IPv6 in the short form of RFC 5952
     * ({@code 2001:db8::1}; the JDK prints every group, {@code 2001:db8:0:0:0:0:0:1}).
     */
    public static String addressText(java.net.InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) return a.getHostAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = (b[2 * i] & 0xff) << 8 | b[2 * i + 1] & 0xff;
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') out.append(':');
            out.append(Integer.toHexString(g[i]));
        }
        return out.toString();
    }
}
