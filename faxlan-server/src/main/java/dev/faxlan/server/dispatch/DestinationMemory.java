package dev.faxlan.server.dispatch;

import dev.faxlan.lines.Media;
import dev.faxlan.lines.MediaPolicy;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.DestinationMedia;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Remembers, per destination number, the media its fax calls failed on, so that for a while its calls
 * start with the other one: a number whose T.38 calls failed is tried with G.711 first (and the
 * reverse). Only a line or route policy that allows both media is reordered; {@code t38} and
 * {@code g711} stay what they are. Kept in the database, so every node and every restart sees it;
 * time comes from the clock given, so tests expire a memory without waiting.
 */
public final class DestinationMemory {
    /** How long a failure counts unless configured otherwise. */
    public static final Duration DEFAULT_KEEP = Duration.ofDays(7);
    public static final Duration MIN_KEEP = Duration.ZERO;
    public static final Duration MAX_KEEP = Duration.ofDays(365);

    /**
     * The media to try for one attempt, in order, and why, for the job's reason.
     *
     * @param policy the policy the call runs under: the configured one, reordered by memory
     * @param why one clause for people, e.g. "over G.711 first: T.38 failed to +4930123456 …"
     */
    public record Plan(MediaPolicy policy, String why) {
        public Media first() {
            return policy.order().get(0);
        }
    }

    private final Database db;
    private final Clock clock;
    private final Duration keep;

    /** @param keep how long a failure makes the number start with the other media; zero remembers nothing */
    public DestinationMemory(Database db, Clock clock, Duration keep) {
        if (keep.isNegative() || keep.compareTo(MAX_KEEP) > 0) {
            throw new IllegalArgumentException("the media memory must be 0 to " + MAX_KEEP.toDays() + " days, not " + keep);
        }
        this.db = db;
        this.clock = clock;
        this.keep = keep;
    }

    /** The plan for a call to {@code number} under {@code configured} (the route's policy, else the line's). */
    public Plan plan(String number, MediaPolicy configured) throws SQLException {
        String as = " (policy " + configured.setting() + ")";
        if (!configured.fallsBack()) return new Plan(configured, "over " + configured.order().get(0).shown() + as);
        Optional<DestinationMedia.Failure> f = db.tx(c -> DestinationMedia.find(c, number, clock.millis()));
        if (f.isEmpty()) return new Plan(configured, describe(configured) + as);
        MediaPolicy reordered = configured.startingWith(f.get().failed().other());
        return new Plan(reordered, describe(reordered) + as + ": " + f.get().failed().shown() + " failed to " + number + " at "
                + time(f.get().since()) + " (" + f.get().reason() + "), remembered until " + time(f.get().expires()));
    }

    /**
     * Records that a call to {@code number} failed on {@code media} (whether or not the attempt then went
     * on in the other media): its calls start with the other media for the configured time.
     */
    public void failed(String number, Media media, String why) throws SQLException {
        if (keep.isZero()) return;
        long now = clock.millis();
        db.tx(c -> {
            DestinationMedia.put(c, number, media, why, now, now + keep.toMillis());
            return null;
        });
    }

    /** A call to {@code number} delivered on {@code media}: a remembered failure of that media is forgotten. */
    public void delivered(String number, Media media) throws SQLException {
        db.tx(c -> DestinationMedia.forget(c, number, media));
    }

    /** Removes memories that have expired (they no longer count anyway); returns how many. */
    public int purge() throws SQLException {
        long now = clock.millis();
        return db.tx(c -> DestinationMedia.purge(c, now));
    }

    private static String describe(MediaPolicy p) {
        if (!p.fallsBack()) return "over " + p.order().get(0).shown();
        return "over " + p.order().get(0).shown() + ", then " + p.order().get(1).shown() + " if that fails";
    }

    private static String time(long millis) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.ofEpochMilli(millis).atZone(ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS));
    }
}
