package dev.faxlan.it;

import dev.faxlan.lines.LinesConfig;
import java.util.Properties;

/**
 * The loopback line's speed for tests about the server's features rather than about real time: the
 * calls run {@link #SPEED} times faster than real time ({@code line.loopback.speed}, docs/lines.md).
 * Tests about timing (a call cancelled or killed while it runs, the demo and the README's quick start
 * as a user sees them) leave it out and run in real time.
 */
public final class FastLoopback {
    /**
     * Chosen by measurement on two cores busy with other builds (load 8 to 30): a call takes 1.5 to 2.5 s
     * instead of about 16, and about one call in a thousand failed from a stall. A stall of the machine is
     * {@code SPEED} times longer in call time, and T.30 gives up after a few seconds of silence.
     */
    public static final int SPEED = 10;

    /** The setting as a properties line, newline-terminated, to append to a server's config. */
    public static final String PROPERTY = "line.loopback.speed=" + SPEED + "\n";

    private FastLoopback() {}

    /** The default lines (the loopback line alone) at {@link #SPEED}. */
    public static LinesConfig lines() {
        return lines(new Properties());
    }

    /** The lines of {@code settings} with the loopback line at {@link #SPEED}; {@code settings} is left as it is. */
    public static LinesConfig lines(Properties settings) {
        Properties p = new Properties();
        p.putAll(settings);
        p.setProperty("line.loopback.speed", Integer.toString(SPEED));
        return LinesConfig.parse(p);
    }
}
