package dev.faxlan.lines;

import dev.faxlan.engine.fax.FaxResult;

/**
 * The end of one outbound fax call.
 *
 * @param outcome what the scheduler should make of it
 * @param faxResult how T.30 ended, or null when the call never reached T.38
 * @param sipStatus the final SIP status of the INVITE (200 when answered), or 0 when none came
 * @param detail one line for people: the SIP reason phrase or the T.30 reason
 * @param pages pages the receiver confirmed
 * @param remoteIdent the receiver's CSI, or ""
 * @param durationMillis from sending the INVITE to the end
 */
public record CallResult(CallOutcome outcome, FaxResult faxResult, int sipStatus, String detail, int pages, String remoteIdent, long durationMillis) {}
