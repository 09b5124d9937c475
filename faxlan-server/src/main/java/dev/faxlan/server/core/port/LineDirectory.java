package dev.faxlan.server.core.port;

import java.util.List;

/** The fax lines this server runs and their state now, for {@code line.list}; the lines themselves stay outside the core. */
@FunctionalInterface
public interface LineDirectory {
    /** No lines known (a service without running lines, as in tests). */
    LineDirectory NONE = List::of;

    /**
     * One line: {@code kind} {@code sip} or {@code loopback}; {@code state} its registration or
     * {@code ready}; {@code calls} the calls in progress on it, both directions.
     */
    record LineStatus(String name, String kind, String state, int calls) {}

    List<LineStatus> lines();
}
