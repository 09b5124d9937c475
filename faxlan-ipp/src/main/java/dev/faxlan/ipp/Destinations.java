package dev.faxlan.ipp;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The fax numbers of a job's {@code destination-uris} (PWG 5100.15): each a {@code tel:} URI (RFC 3966),
 * its visual separators dropped; the server's number plan then decides whether it may dial it.
 */
public final class Destinations {
    /** Most destinations one job may name, so that one request cannot make an unbounded number of fax jobs. */
    public static final int MAX = 100;

    private Destinations() {}

    /** A destination that cannot be faxed; the message says which and why. */
    public static final class Unusable extends Exception {
        private final boolean scheme;

        Unusable(String message, boolean scheme) {
            super(message, null, false, false);
            this.scheme = scheme;
        }

        /** True when the URI's scheme is not tel (IPP's client-error-uri-scheme-not-supported). */
        public boolean scheme() {
            return scheme;
        }
    }

    /** The numbers of {@code uris}, in order. */
    public static List<String> numbers(List<URI> uris) throws Unusable {
        if (uris.isEmpty()) throw new Unusable("a fax job needs destination-uris with at least one tel: number", false);
        if (uris.size() > MAX) throw new Unusable("at most " + MAX + " destination-uris per job, not " + uris.size(), false);
        List<String> numbers = new ArrayList<>();
        for (URI uri : uris) numbers.add(number(uri));
        return numbers;
    }

    /** The number of one {@code tel:} URI: "tel:+1-212-555-0100" is "+12125550100"; parameters (";ext=") are refused. */
    public static String number(URI uri) throws Unusable {
        if (uri == null || uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("tel")) {
            throw new Unusable("destination " + uri + " is not a tel: URI; faxlan faxes to telephone numbers only", true);
        }
        String part = uri.getRawSchemeSpecificPart();
        if (part.contains(";")) throw new Unusable("destination " + uri + ": tel: parameters (" + part.substring(part.indexOf(';'))
                + ") are not supported", false);
        StringBuilder n = new StringBuilder();
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if ((c >= '0' && c <= '9') || (c == '+' && i == 0) || c == '*' || c == '#') n.append(c);
            else if (c != '-' && c != '.' && c != '(' && c != ')' && c != ' ') {
                throw new Unusable("destination " + uri + ": '" + c + "' is not part of a telephone number", false);
            }
        }
        if (n.isEmpty() || n.toString().equals("+")) throw new Unusable("destination " + uri + " has no number", false);
        return n.toString();
    }
}
