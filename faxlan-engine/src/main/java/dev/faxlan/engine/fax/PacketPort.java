package dev.faxlan.engine.fax;

/** Where a call's outgoing UDPTL datagrams go: a UDP socket in a line, a queue in a test. */
@FunctionalInterface
public interface PacketPort {
    void send(byte[] datagram);
}
