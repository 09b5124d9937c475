package dev.faxlan.lines;

/** Takes each fax received on a line: stores it and routes it. Called once per answered call. */
@FunctionalInterface
public interface InboundFaxSink {
    void received(ReceivedFax fax) throws Exception;
}
