package dev.faxlan.server.cpi;

import dev.faxlan.server.cpi.abuse.HalfOpenConnections;
import dev.faxlan.server.cpi.abuse.UnvalidatedTraffic;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicTokenHandler;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * QUIC address validation with stateless Retry (RFC 9000 §8.1.2). Every Initial without a token gets a
 * small Retry carrying {@code expiry | HMAC-SHA256(key, expiry|ip|port|odcid)[:16] | odcid}; only a
 * client that receives it at its claimed address can continue. So a spoofed source address gets one
 * Retry packet, smaller than the Initial sent in its name, and no handshake bytes. Netty's own
 * InsecureQuicTokenHandler has no MAC, expiry or port, so it is not used. A good token opens a connection
 * only if {@link HalfOpenConnections} admits it (handshakes in progress and the source's rate).
 */
final class RetryTokenHandler implements QuicTokenHandler {
    static final long LIFETIME_MS = 10_000;
    private static final int MAC_BYTES = 16;
    private static final int HEADER = 8 + MAC_BYTES;
    private static final int MAX_CID = 20;
    private final SecretKeySpec key;
    private final Clock clock;
    private final HalfOpenConnections halfOpen;
    private final UnvalidatedTraffic traffic;

    /** A handler that admits every connection whose token checks out. */
    RetryTokenHandler(Clock clock) {
        this(clock, null, new UnvalidatedTraffic());
    }

    RetryTokenHandler(Clock clock, HalfOpenConnections halfOpen, UnvalidatedTraffic traffic) {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
        this.clock = clock;
        this.halfOpen = halfOpen;
        this.traffic = traffic;
    }

    @Override
    public boolean writeToken(ByteBuf out, ByteBuf dcid, InetSocketAddress address) {
        long expiry = clock.millis() + LIFETIME_MS;
        byte[] odcid = new byte[dcid.readableBytes()];
        dcid.getBytes(dcid.readerIndex(), odcid);
        out.writeLong(expiry);
        out.writeBytes(mac(expiry, address, odcid));
        out.writeBytes(odcid);
        return true;
    }

    /** Called by the QUIC codec only for an Initial that belongs to no connection yet: a new connection. */
    @Override
    public int validateToken(ByteBuf token, InetSocketAddress address) {
        if (!genuine(token, address)) {
            traffic.tokenRefused();
            return -1;
        }
        if (halfOpen != null && !halfOpen.admit(address.getAddress())) {
            traffic.connectionRefused();
            return -1; // dropped: the client sends its Initial again after its timeout, and may be let in then
        }
        return HEADER;
    }

    private boolean genuine(ByteBuf token, InetSocketAddress address) {
        int len = token.readableBytes();
        if (len < HEADER || len > HEADER + MAX_CID) return false;
        int at = token.readerIndex();
        long expiry = token.getLong(at);
        if (clock.millis() > expiry) return false;
        byte[] mac = new byte[MAC_BYTES];
        token.getBytes(at + 8, mac);
        byte[] odcid = new byte[len - HEADER];
        token.getBytes(at + HEADER, odcid);
        return MessageDigest.isEqual(mac, mac(expiry, address, odcid));
    }

    @Override
    public int maxTokenLength() {
        return HEADER + MAX_CID;
    }

    private byte[] mac(long expiry, InetSocketAddress address, byte[] odcid) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            for (int s = 56; s >= 0; s -= 8) m.update((byte) (expiry >>> s));
            m.update(address.getAddress().getAddress());
            m.update((byte) (address.getPort() >>> 8));
            m.update((byte) address.getPort());
            m.update(odcid);
            byte[] full = m.doFinal();
            byte[] out = new byte[MAC_BYTES];
            System.arraycopy(full, 0, out, 0, MAC_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
