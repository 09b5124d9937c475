package dev.faxlan.web.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which URLs a webhook may be sent to. Only http and https; and since the web process posts from inside
 * the network on any user's word, a URL whose host resolves to a loopback, link-local, private,
 * shared (CGNAT) or unspecified address is refused unless {@code webhook.allow.private} is set: otherwise
 * a user could make it call the administration interfaces of the hosts around it (SSRF). The check is made
 * at registration and again before each attempt, since a name can resolve elsewhere later.
 */
public final class WebhookUrl {
    static final int MAX_LENGTH = 2048;

    private WebhookUrl() {}

    /** Refusal of a URL, with a message for the user that says why. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** {@code text} as a URL webhooks may be posted to. */
    public static URI check(String text, boolean allowPrivate) throws Refused {
        URI url = parse(text);
        checkAddress(url, allowPrivate);
        return url;
    }

    /** The URL's form alone: http or https, a host, no user name or password in it (they would be stored and shown). */
    static URI parse(String text) throws Refused {
        if (text == null || text.isBlank()) throw new Refused("a webhook needs a url");
        if (text.length() > MAX_LENGTH) throw new Refused("the url is longer than " + MAX_LENGTH + " characters");
        URI url;
        try {
            url = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new Refused("the url is not valid: " + e.getMessage());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("the url must start with http:// or https://, not '" + (url.getScheme() == null ? text : url.getScheme() + ":") + "'");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) throw new Refused("the url names no host: " + text);
        if (url.getRawUserInfo() != null) throw new Refused("the url must not hold a user name or password; the receiver checks the signature instead");
        if (url.getRawFragment() != null) throw new Refused("the url must not have a fragment (#...)");
        return url;
    }

    /** Refuses a host that resolves to an address inside the network, unless allowed. */
    static void checkAddress(URI url, boolean allowPrivate) throws Refused {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(url.getHost());
        } catch (UnknownHostException e) {
            throw new Refused("the host " + url.getHost() + " cannot be resolved");
        }
        if (allowPrivate) return;
        for (InetAddress a : addresses) {
            if (isInternal(a)) {
                throw new Refused("the host " + url.getHost() + " resolves to " + a.getHostAddress()
                        + ", an address inside the network (webhook.allow.private=true allows it)");
            }
        }
    }

    /** Loopback, link-local, private (RFC 1918, IPv6 unique local), shared (RFC 6598), unspecified or multicast. */
    static boolean isInternal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128);
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) return true; // fc00::/7, unique local
            if (isMapped(b)) {
                try {
                    return isInternal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }

    /** ::ffff:a.b.c.d, an IPv4 address in IPv6 form (the JDK turns most into Inet4Address, not all). */
    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }
}
