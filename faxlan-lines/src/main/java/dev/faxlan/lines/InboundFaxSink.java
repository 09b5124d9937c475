package dev.faxlan.lines;

/** Takes each fax received on a line: stores it and routes it. Called once per answered call. */
@FunctionalInterface
public interface InboundFaxSink {
    /** Pages a fax may have when the sink sets no limit of its own. */
    int DEFAULT_MAX_PAGES = 500;

    /**
     * Where the pages of a call being answered go as they arrive; the same object comes back as
     * {@link ReceivedFax#pages()}. By default they are kept in memory, up to {@link #DEFAULT_MAX_PAGES}.
     */
    default ReceivedPages newPages() {
        return ReceivedPages.inMemory(DEFAULT_MAX_PAGES);
    }

    void received(ReceivedFax fax) throws Exception;

    /**
     * The fax's last page arrived good, and the confirmation that tells the sender the fax is delivered
     * (T.30's MCF after EOP) waits for this: a sink that stores the fax durably here never loses a fax the
     * sender counts as delivered. {@link #received} still follows when the call ends, with the same
     * pages and the call's result: the sink must not store the fax again then, and may tell others of
     * it (routing, alerts) without holding up the call. A throw leaves the fax unconfirmed: the call
     * ends without MCF and the sender tries again. Runs off the threads that pace calls; it must return
     * well inside T.30's 3 s (T4), after which the sender repeats its EOP. By default nothing is stored
     * here. Faxes in G.711 audio are stored at the call's end.
     */
    default void lastPageReceived(ReceivedFax fax) throws Exception {}
}
