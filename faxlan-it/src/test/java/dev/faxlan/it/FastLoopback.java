package dev.faxlan.it;

/**
 * The loopback line's speed for tests about the server's features rather than about real time: the
 * calls run {@link #SPEED} times faster than real time ({@code line.loopback.speed}, docs/lines.md).
 * Tests about timing (a call cancelled or killed while it runs, the demo and the README's quick start
 * as a user sees them) leave it out and run in real time.
 */
public final class FastLoopback {
    /**
     * Chosen by measurement on two cores busy with other builds: at 10 no call failed from a stall; a
     * stall of the machine is {@code SPEED} times longer in call time, and T.30 fails a call after a few
     * seconds of silence.
     */
    public static final int SPEED = 10;

    /** The setting as a properties line, newline-terminated, to append to a server's config. */
    public static final String PROPERTY = "line.loopback.speed=" + SPEED + "\n";

    private FastLoopback() {}
}
