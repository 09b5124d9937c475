package dev.faxlan.lines;

import java.util.regex.Pattern;

/**
 * A SIP server address as configured: a host name or IP address and a port.
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

    /** {@code host:port}, with an IPv6 host in brackets: the form SIP URIs and Via headers use. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
