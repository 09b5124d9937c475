package dev.faxlan.cli.relay;

import java.net.InetSocketAddress;

/**
 * One client's flow through the relay: its address and port, the relay's own socket towards the
 * server for it ({@code upstream}), and the byte counts that keep the relay from being an amplifier.
 *
 * <p>Until the client has shown that it received the server's answer, the relay passes it at most
 * as many bytes as it sent: QUIC's Initial packets can come from a spoofed source, a Handshake or
 * 1-RTT packet only from a client that read the server's Initial. Not thread-safe: a relay touches
 * its flows on its one event loop.
 *
 * @param <U> the upstream socket (a Netty channel in the relay, anything in tests)
 */
final class Flow<U> {
    final InetSocketAddress client;
    final U upstream;
    private long lastActiveNanos;
    private long bytesFromClient;
    private long bytesToClient;
    private long droppedToClient;
    private boolean answered;

    Flow(InetSocketAddress client, U upstream, long nowNanos) {
        this.client = client;
        this.upstream = upstream;
        this.lastActiveNanos = nowNanos;
    }

    /** Counts a datagram from the client; {@code firstByte} is its first byte (the QUIC header form and type). */
    void fromClient(int length, int firstByte, long nowNanos) {
        bytesFromClient += length;
        lastActiveNanos = nowNanos;
        if (!answered && provesAnswerReceived(firstByte)) answered = true;
    }

    /**
     * Whether a datagram of {@code length} bytes from the server may go to the client: always once the
     * client showed it has the server's answer, before that only within the bytes the client sent.
     */
    boolean mayPassToClient(int length, long nowNanos) {
        if (!answered && bytesToClient + length > bytesFromClient) {
            droppedToClient++;
            return false;
        }
        bytesToClient += length;
        lastActiveNanos = nowNanos;
        return true;
    }

    /**
     * RFC 9000 §17: a long header (0x80) of type Handshake (2), or a short header (1-RTT). A client
     * sends either only after it decrypted the server's Initial, so only from its own address.
     */
    static boolean provesAnswerReceived(int firstByte) {
        if ((firstByte & 0x80) == 0) return (firstByte & 0x40) != 0;
        return ((firstByte >> 4) & 0x03) == 2;
    }

    boolean answered() {
        return answered;
    }

    long lastActiveNanos() {
        return lastActiveNanos;
    }

    long bytesFromClient() {
        return bytesFromClient;
    }

    long bytesToClient() {
        return bytesToClient;
    }

    long droppedToClient() {
        return droppedToClient;
    }
}
