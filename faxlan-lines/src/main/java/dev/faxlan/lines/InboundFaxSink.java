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
}
