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

    /** Where a fax went at its last page. */
    enum Kept {
        /** Stored durably now: {@link #received} is not called for the call. */
        STORED,
        /** Not stored yet: {@link #received} stores it when the call ends. */
        AT_CALL_END
    }

    /**
     * The fax's last page arrived good, and the confirmation that tells the sender the fax is delivered
     * (T.30's MCF after EOP) waits for this: a sink that stores the fax durably here, and returns
     * {@link Kept#STORED}, never loses a fax the sender counts as delivered. A throw leaves the fax
     * unconfirmed: the call ends without MCF and the sender tries again. Runs off the threads that pace
     * calls; it must return well inside T.30's 3 s (T4), after which the sender repeats its EOP. By
     * default the fax is stored at the call's end. Faxes in G.711 audio are stored at the call's end.
     */
    default Kept lastPageReceived(ReceivedFax fax) throws Exception {
        return Kept.AT_CALL_END;
    }
}
