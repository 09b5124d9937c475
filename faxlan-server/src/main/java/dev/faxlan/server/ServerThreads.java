package dev.faxlan.server;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Threads the server starts. None may die silently: an uncaught throwable (an {@link OutOfMemoryError}
 * above all) is logged, and tasks run through {@link #guarded} so the thread that ran them lives on.
 */
public final class ServerThreads {
    private static final Logger log = LoggerFactory.getLogger(ServerThreads.class);
    /** Logs the throwable that ends a thread. */
    public static final Thread.UncaughtExceptionHandler LOG_UNCAUGHT = (t, e) -> log.error("thread {} died", t.getName(), e);

    private ServerThreads() {}

    /** Daemon threads named {@code prefix-N} that log what kills them. */
    public static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setUncaughtExceptionHandler(LOG_UNCAUGHT);
            return t;
        };
    }

    /** {@code task}, with any throwable it raises logged and swallowed so the pool's thread survives it. */
    public static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable e) {
                log.error("{} failed", what, e);
            }
        };
    }

    /** Makes every thread of this JVM that has no handler of its own log what kills it. */
    public static void logUncaughtEverywhere() {
        if (Thread.getDefaultUncaughtExceptionHandler() == null) Thread.setDefaultUncaughtExceptionHandler(LOG_UNCAUGHT);
    }
}
