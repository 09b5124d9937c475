package dev.faxlan.lines.sip;

import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Session timers (RFC 4028) as headers: what the peer asks for, and which side refreshes. The call
 * sends the refreshing re-INVITEs itself, at half the interval.
 */
final class SessionTimer {
    /** The interval a refresh asks for when the INVITE named none. */
    static final long DEFAULT_SECONDS = 1800;

    private SessionTimer() {}

    /**
     * Echoes the peer's Session-Expires in our 2xx (and requires the timer when the peer supports it).
     *
     * @return the interval in seconds when the peer made us (the UAS) the refresher, else -1
     */
    static long answer(HeaderFactory headers, Request req, Response ok) throws Exception {
        Header se = req.getHeader("Session-Expires");
        if (se == null) return -1;
        String v = value(se);
        long seconds = leadingNumber(v);
        if (seconds <= 0) return -1;
        boolean uasRefreshes = v.toLowerCase().contains("refresher=uas");
        ok.addHeader(headers.createHeader("Session-Expires", seconds + ";refresher=" + (uasRefreshes ? "uas" : "uac")));
        Header supported = req.getHeader("Supported");
        if (supported != null && value(supported).toLowerCase().contains("timer")) ok.addHeader(headers.createHeader("Require", "timer"));
        return uasRefreshes ? seconds : -1;
    }

    /** The interval in seconds when the peer's 2xx makes us the refresher, else -1. */
    static long refreshAsked(Response r, boolean weAreUac) {
        Header se = r.getHeader("Session-Expires");
        if (se == null) return -1;
        String v = value(se).toLowerCase();
        long seconds = leadingNumber(v);
        return seconds > 0 && v.contains("refresher=" + (weAreUac ? "uac" : "uas")) ? seconds : -1;
    }

    /** The interval our INVITE asked for, for the next refresh. */
    static long intervalOf(Request invite) {
        Header se = invite != null ? invite.getHeader("Session-Expires") : null;
        return se != null ? leadingNumber(value(se)) : DEFAULT_SECONDS;
    }

    private static String value(Header h) {
        String s = h.toString();
        int colon = s.indexOf(':');
        return (colon >= 0 ? s.substring(colon + 1) : s).strip();
    }

    private static long leadingNumber(String v) {
        int i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i))) i++;
        if (i == 0 || i > 9) return -1;
        return Long.parseLong(v.substring(0, i));
    }
}
