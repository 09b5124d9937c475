package dev.faxlan.server.storage;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * Runs a write that must not be dropped for a short outage of the database (a restart, a failover):
 * it is tried again, with backoff, for as long as the database is unavailable and at most for a
 * given time. For what has already happened and cannot happen again: a call that ended, a fax that
 * was received. Any other failure is thrown at once.
 */
public final class WhileUnavailable {
    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 2_000;

    private WhileUnavailable() {}

    /** A write to the database. */
    @FunctionalInterface
    public interface Write<T> {
        T run() throws Exception;
    }

    /**
     * @param what for the log: what is being written ("job 12's outcome")
     * @throws Exception the write's failure, when it is not the database's absence or the time is up
     */
    public static <T> T retry(Logger log, String what, Duration upTo, Write<T> write) throws Exception {
        long giveUp = System.nanoTime() + upTo.toNanos();
        long backoff = FIRST_BACKOFF_MS;
        while (true) {
            try {
                return write.run();
            } catch (Exception e) {
                if (!Database.isUnavailable(e) || System.nanoTime() > giveUp) throw e;
                log.warn("the database is unavailable for {} ({}); trying again", what, String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
    }
}
