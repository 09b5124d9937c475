package dev.faxlan.sdk;

/** A {@code HOST[:PORT]} argument; IPv6 literals in brackets ({@code [::1]:4644}). */
public record HostPort(String host, int port) {
    public static HostPort parse(String s, int defaultPort) {
        String host = s.strip();
        int port = defaultPort;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("missing ] in " + s);
            String rest = host.substring(close + 1);
            host = host.substring(1, close);
            if (rest.startsWith(":")) port = port(rest.substring(1), s);
            else if (!rest.isEmpty()) throw new IllegalArgumentException("unexpected text after ] in " + s);
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            port = port(host.substring(host.indexOf(':') + 1), s);
            host = host.substring(0, host.indexOf(':'));
        }
        if (host.isEmpty()) throw new IllegalArgumentException("no host in " + s);
        return new HostPort(host, port);
    }

    private static int port(String p, String whole) {
        try {
            int port = Integer.parseInt(p);
            if (port < 1 || port > 65535) throw new NumberFormatException();
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + whole);
        }
    }

    @Override
    public String toString() {
        return SavedServers.formatAddress(host, port);
    }
}
