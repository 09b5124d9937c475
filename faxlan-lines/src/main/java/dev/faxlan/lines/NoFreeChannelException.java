package dev.faxlan.lines;

/**
 * A line was asked to place a call while every one of its channels was in use: no call was placed, so
 * a scheduler counts no attempt and tries again when a channel is free. An {@link IllegalStateException},
 * as the line has always thrown in that case.
 */
public final class NoFreeChannelException extends IllegalStateException {
    public NoFreeChannelException(String message) {
        super(message);
    }
}
