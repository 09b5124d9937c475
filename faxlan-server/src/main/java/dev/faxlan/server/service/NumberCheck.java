package dev.faxlan.server.service;

import java.util.Optional;

/**
 * Whether a fax to a number can be sent at all: the server's lines answer it (see
 * {@code LinesConfig#whyNotDialable}), so that {@code submit} refuses a number no line can dial
 * instead of making a job that fails or waits for good. The service knows nothing of SIP.
 */
@FunctionalInterface
public interface NumberCheck {
    /** Takes every number (tests, and servers whose lines are not known). */
    NumberCheck ANY = number -> Optional.empty();

    /**
     * Why a fax to {@code number} cannot be sent, in one line naming the number; empty when a line
     * takes it. Never throws.
     */
    Optional<String> whyNot(String number);
}
