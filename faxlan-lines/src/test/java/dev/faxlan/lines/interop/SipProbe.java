package dev.faxlan.lines.interop;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * One SIP request over UDP from 127.0.0.1, written by hand, and the final response to it. Enough
 * to ping a server or check how it answers a request, without any SIP stack in between.
 */
public final class SipProbe {

    private SipProbe() {
    }

    /** A response: its status code and the whole message text. */
    public record Response(int status, String text) {
        public String statusLine() {
            int end = text.indexOf("\r\n");
            return end < 0 ? text : text.substring(0, end);
        }
    }

    /** {@code OPTIONS sip:host:port}, as a liveness check. */
    public static Optional<Response> options(String host, int port, Duration wait) throws IOException {
        return send(host, port, "OPTIONS", "sip:" + host + ":" + port, "probe", "probe", "", wait);
    }

    /** An INVITE for {@code toUser} at host:port from {@code fromUser}, with no body. */
    public static Optional<Response> invite(String host, int port, String fromUser, String toUser, Duration wait)
            throws IOException {
        return send(host, port, "INVITE", "sip:" + toUser + "@" + host + ":" + port, fromUser, toUser, "", wait);
    }

    /**
     * Sends one request and returns the first final (non-1xx) response, or empty if none came
     * within {@code wait}. The request is sent once: on loopback nothing is lost.
     */
    public static Optional<Response> send(String host, int port, String method, String requestUri, String fromUser,
            String toUser, String extraHeaders, Duration wait) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LoopbackPorts.loopback(), 0))) {
            int local = socket.getLocalPort();
            String tag = UUID.randomUUID().toString().substring(0, 8);
            String message = method + " " + requestUri + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + LoopbackPorts.HOST + ":" + local + ";branch=z9hG4bK" + tag + ";rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:" + fromUser + "@" + LoopbackPorts.HOST + ":" + local + ">;tag=" + tag + "\r\n"
                    + "To: <sip:" + toUser + "@" + host + ":" + port + ">\r\n"
                    + "Call-ID: " + UUID.randomUUID() + "@" + LoopbackPorts.HOST + "\r\n"
                    + "CSeq: 1 " + method + "\r\n"
                    + "Contact: <sip:" + fromUser + "@" + LoopbackPorts.HOST + ":" + local + ">\r\n"
                    + extraHeaders
                    + "Content-Length: 0\r\n\r\n";
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(host, port)));
            long deadline = System.nanoTime() + wait.toNanos();
            byte[] buffer = new byte[65536];
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return Optional.empty();
                }
                socket.setSoTimeout((int) Math.max(1, left));
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    return Optional.empty();
                }
                String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                int status = statusOf(text);
                if (status >= 200) {
                    return Optional.of(new Response(status, text));
                }
            }
        }
    }

    /** The status code of a response's first line, or -1 if it is not a response. */
    static int statusOf(String message) {
        if (!message.startsWith("SIP/2.0 ") || message.length() < 11) {
            return -1;
        }
        try {
            return Integer.parseInt(message.substring(8, 11));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
