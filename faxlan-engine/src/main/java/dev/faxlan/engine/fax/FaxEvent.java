package dev.faxlan.engine.fax;

import dev.faxlan.engine.t30.Dcs;
import dev.faxlan.engine.t4.DecodeResult;

/** What a session reports to its owner as the call proceeds. */
public sealed interface FaxEvent {
    /** Phase B settled: the parameters pages will use, and who is at the other end. */
    /** {@code senderId} is the SID the sender gave (a password-like identification), or null. */
    record Negotiated(Dcs dcs, String remoteIdent, String subaddress, String senderId) implements FaxEvent {}

    /** A page was sent and confirmed (sending) or received (receiving, with its image and bad lines). */
    record Page(int number, DecodeResult received) implements FaxEvent {}

    /** Phase E: the call is over. */
    record Completed(FaxResult result, int pages) implements FaxEvent {}
}
