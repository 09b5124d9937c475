package dev.faxlan.lines;

import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.t4.DecodeResult;
import java.util.List;

/**
 * A fax that arrived on a line, complete or not: the pages received and what the call said about
 * itself. Handed to an {@link InboundFaxSink}.
 *
 * @param line name of the line it arrived on
 * @param callerNumber the caller's number from SIP (From user part), or "" when anonymous
 * @param calledNumber the number dialled (To / request-URI user part): the DID
 * @param remoteIdent the sender's TSI as it gave it, or ""
 * @param subaddress the T.30 SUB the sender gave, or ""
 * @param senderId the T.30 SID the sender gave, or ""
 * @param pages every page received, in order, with its bad-line counts; the {@link ReceivedPages} the
 *     sink gave for the call (kept as it is: its pages may be on disk), or any list
 * @param startedMillis wall-clock time the call was answered
 * @param durationMillis from answer to hang-up
 * @param result how T.30 ended; pages may be non-empty even when it is not OK
 * @param callId the call's SIP Call-ID, or null when unknown
 */
public record ReceivedFax(String line, String callerNumber, String calledNumber, String remoteIdent, String subaddress, String senderId,
        List<DecodeResult> pages, long startedMillis, long durationMillis, FaxResult result, String callId) {
    public ReceivedFax {
        pages = pages instanceof ReceivedPages stored ? stored : List.copyOf(pages);
    }

    /** A fax whose call's Call-ID is not known. */
    public ReceivedFax(String line, String callerNumber, String calledNumber, String remoteIdent, String subaddress, String senderId,
            List<DecodeResult> pages, long startedMillis, long durationMillis, FaxResult result) {
        this(line, callerNumber, calledNumber, remoteIdent, subaddress, senderId, pages, startedMillis, durationMillis, result, null);
    }
}
