package dev.faxlan.engine.fax;

/**
 * What the owner of a call does at the two moments T.30 gives it to make the end of a fax safe
 * against a crash: the receiver before it confirms the last page (MCF after EOP), the sender when that
 * confirmation arrives (before its DCN). Either may take time (a disk sync, a database commit), so the
 * session runs them through its page work, off the thread that paces calls, and goes on when they
 * answer. The engine knows nothing of storage: it only orders the protocol around these calls.
 */
public interface EndOfFax {
    /** Does nothing: the MCF and the DCN go at once. */
    EndOfFax NONE = new EndOfFax() {};

    /**
     * Receiving: the fax's last page ({@code pages} pages in all, each already reported as a
     * {@link FaxEvent.Page}) is good and its MCF is about to go. Return true once the fax is stored
     * durably; false (or a throw) and no MCF is sent: the call ends with
     * {@link FaxResult#RECEIVED_NOT_STORED}, so the sender does not count the fax as delivered. The
     * sender repeats EOP after T4 (3 s) without an answer and the receiver's T2 (7 s) bounds the wait:
     * a store must take well under that.
     */
    default boolean lastPageReceived(int pages) {
        return true;
    }

    /**
     * Sending: the receiver confirmed the last page ({@code pages} pages in all); the fax is delivered
     * whatever happens to the call from now on. The DCN goes when this returns.
     */
    default void lastPageConfirmed(int pages) {}
}
