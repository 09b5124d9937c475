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
 * @param media the media of the call that ended the attempt (the last one, after a fallback), or null when not known
 * @param mediaWhy why that media, e.g. "G.711 after T.38 was refused (488 Not Acceptable Here)"; "" when nothing to say
 */
public record CallResult(CallOutcome outcome, FaxResult faxResult, int sipStatus, String detail, int pages, String remoteIdent, long durationMillis,
        Media media, String mediaWhy) {
    public CallResult {
        if (mediaWhy == null) mediaWhy = "";
    }

    /** A result that says nothing of its media. */
    public CallResult(CallOutcome outcome, FaxResult faxResult, int sipStatus, String detail, int pages, String remoteIdent, long durationMillis) {
        this(outcome, faxResult, sipStatus, detail, pages, remoteIdent, durationMillis, null, "");
    }

    /**
     * Why this call's media failed, or empty when the call failed for another reason (busy, no answer, a
     * network error) or did not fail: the far end refused the media (488, 606), or the fax failed before
     * page 1 was confirmed. A T.30 failure after pages went through says the media works.
     */
    public java.util.Optional<String> mediaFailure() {
        if (outcome == CallOutcome.T38_NOT_SUPPORTED) return java.util.Optional.of("was refused (" + detail + ")");
        if (outcome == CallOutcome.T30_FAILURE && pages == 0) return java.util.Optional.of("failed before page 1 (" + detail + ")");
        return java.util.Optional.empty();
    }

    /** This result, saying it came over {@code media} and why. */
    public CallResult over(Media media, String why) {
        return new CallResult(outcome, faxResult, sipStatus, detail, pages, remoteIdent, durationMillis, media, why);
    }
}
