package dev.faxlan.server.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Slows password guessing without letting a guesser lock the real user out.
 *
 * <ul>
 *   <li>Per (user, address) and per address: after {@link #FREE_FAILURES} failures, attempts from
 *       that address are refused for a delay that doubles with each failure (capped at
 *       {@link #MAX_DELAY_MS}). Failures from one address never refuse another.
 *   <li>Per user, over all addresses: once a user has {@link #USER_UNDER_ATTACK} recent failures
 *       (a guesser spread over many addresses), an address gets no free failures for that user:
 *       its first failure starts the delay. An address that has not failed for the user is still
 *       let through, so the right password from a new address always gets in.
 * </ul>
 *
 * An address is an IPv4 address or an IPv6 /64 ({@link #source}): an IPv6 host owns its whole /64
 * and could otherwise take a fresh address, with fresh free failures, for every guess.
 *
 * A count is forgotten after {@link #FORGET_AFTER_MS} without failures. At most {@link #MAX_KEYS}
 * counts are kept; beyond that the least recently used ones that block nothing are evicted, so a
 * flood of new names or addresses cannot exhaust memory nor lift a block.
 */
public final class LoginThrottle {
    public static final int FREE_FAILURES = 5;
    public static final long BASE_DELAY_MS = 1_000;
    public static final long MAX_DELAY_MS = 5 * 60_000;
    /** Recent failures for one user, over all addresses, from which each address loses its free failures. */
    public static final int USER_UNDER_ATTACK = 20;
    /** A count nobody added to for this long starts again from zero (an office's old typos do not add up). */
    public static final long FORGET_AFTER_MS = 60 * 60_000;
    /** Bound on tracked counts so a flood of spoofed names or addresses cannot exhaust memory. */
    public static final int MAX_KEYS = 100_000;

    /**
     * What may be an IPv6 literal (scope removed): a colon, and a first character the JDK parses as a
     * literal, never as a name to look up. Anything else is counted as it came.
     */
    private static final Pattern IPV6_LITERAL = Pattern.compile("(?=.*:)[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    private record Failures(int count, long last, long blockedUntil) {}

    private final Clock clock;
    /** In access order: the eldest entry is the least recently used. Guarded by {@code this}. */
    private final LinkedHashMap<String, Failures> failures = new LinkedHashMap<>(1024, 0.75f, true);

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Milliseconds {@code address} must still wait before trying {@code user} again, or 0 when it may try now. */
    public synchronized long waitMillis(String user, String address) {
        address = source(address);
        long now = clock.millis();
        return Math.max(0, Math.max(blocked(pairKey(user, address), now), blocked(addressKey(address), now)));
    }

    public synchronized void failure(String user, String address) {
        address = source(address);
        long now = clock.millis();
        Failures forUser = record(userKey(user), now, Integer.MAX_VALUE);
        int free = forUser.count() > USER_UNDER_ATTACK ? 0 : FREE_FAILURES;
        record(pairKey(user, address), now, free);
        record(addressKey(address), now, FREE_FAILURES);
        evictBeyondBound(now);
    }

    /**
     * A correct password: clears the counts of this user at this address and of the address. The
     * user's count over all addresses stays, so a login does not hand a guesser elsewhere new free tries.
     */
    public synchronized void success(String user, String address) {
        address = source(address);
        failures.remove(pairKey(user, address));
        failures.remove(addressKey(address));
    }

    /** How many counts are kept (bounded by {@link #MAX_KEYS}). */
    synchronized int trackedKeys() {
        return failures.size();
    }

    /**
     * The source that failures are counted for: an IPv4 address as it is (also when it comes
     * IPv4-mapped, {@code ::ffff:192.0.2.1}, as {@code ::ffff:0:0/96} holds all of IPv4), an IPv6
     * address as its /64 (its first eight bytes in hex, then {@code /64}), whatever else as it came.
     */
    static String source(String address) {
        if (address == null) return "";
        int scope = address.indexOf('%'); // a link-local scope names our interface, not the client
        String literal = scope < 0 ? address : address.substring(0, scope);
        if (!IPV6_LITERAL.matcher(literal).matches()) return address;
        InetAddress a;
        try {
            a = InetAddress.getByName(literal); // with a colon, parsed as IPv6 or refused, never looked up
        } catch (UnknownHostException | IllegalArgumentException notALiteral) {
            return address;
        }
        if (!(a instanceof Inet6Address)) return a.getHostAddress(); // the JDK turns IPv4-mapped into IPv4
        return HexFormat.of().formatHex(a.getAddress(), 0, 8) + "/64";
    }

    private static String pairKey(String user, String address) {
        return "p:" + address + " " + user; // addresses have no spaces, so the pair cannot be forged by a name
    }

    private static String addressKey(String address) {
        return "a:" + address;
    }

    private static String userKey(String user) {
        return "u:" + user;
    }

    private long blocked(String key, long now) {
        Failures f = failures.get(key);
        return f == null ? 0 : f.blockedUntil() - now;
    }

    private Failures record(String key, long now, int free) {
        Failures f = failures.get(key);
        int count = f == null || now - f.last() >= FORGET_AFTER_MS ? 1 : f.count() + 1;
        long delay = count <= free ? 0 : Math.min(MAX_DELAY_MS, BASE_DELAY_MS << Math.min(20, count - free - 1));
        Failures updated = new Failures(count, now, now + delay);
        failures.put(key, updated);
        return updated;
    }

    /**
     * Evicts least recently used counts beyond {@link #MAX_KEYS}. Counts that still block go to the back
     * of the line instead; only if every count blocks does the oldest go (memory stays bounded).
     */
    private void evictBeyondBound(long now) {
        int looked = 0;
        while (failures.size() > MAX_KEYS && looked++ < failures.size()) {
            Iterator<Map.Entry<String, Failures>> it = failures.entrySet().iterator();
            Map.Entry<String, Failures> eldest = it.next();
            it.remove();
            if (eldest.getValue().blockedUntil() > now) failures.put(eldest.getKey(), eldest.getValue());
        }
        Iterator<Map.Entry<String, Failures>> it = failures.entrySet().iterator();
        while (failures.size() > MAX_KEYS) {
            it.next();
            it.remove();
        }
    }
}
