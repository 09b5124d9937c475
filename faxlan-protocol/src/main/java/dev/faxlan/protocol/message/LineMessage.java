package dev.faxlan.protocol.message;

import java.util.List;

/** {@code line.list}: the server's fax lines and their state, for administrators. */
public sealed interface LineMessage {
    record ListLines() implements LineMessage, CpiRequest<Lines> {}

    record Lines(List<Line> lines) implements LineMessage {}

    /**
     * {@code kind}: {@code sip} (a trunk) or {@code loopback}; {@code state}: the trunk's registration
     * ({@code registered}, {@code registering}, {@code not registering} or why it failed), {@code ready}
     * for the loopback line; {@code calls}: calls in progress on it, both directions.
     */
    record Line(String name, String kind, String state, long calls) {}
}
