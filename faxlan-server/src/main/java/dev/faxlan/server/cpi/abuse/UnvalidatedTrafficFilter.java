package dev.faxlan.server.cpi.abuse;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;

/**
 * First on the CPI socket, in front of discovery and the QUIC codec. It drops what would make the
 * server answer an unvalidated address with more than it got, and counts the rest ({@link UnvalidatedTraffic}):
 * <ul>
 * <li>an Initial, or a packet of an unknown QUIC version, in a datagram under {@value #MIN_INITIAL_DATAGRAM}
 * bytes (RFC 9000 §14.1: a server must discard those). The QUIC library would answer it with a Retry
 * (about 100 bytes) or a Version Negotiation packet without looking at its size, so a spoofed 40-byte
 * Initial would draw more than it sent;</li>
 * <li>token-less Initials and unknown versions beyond a per-source rate, so that one victim's address,
 * spoofed, draws a bounded number of Retry packets.</li>
 * </ul>
 */
public final class UnvalidatedTrafficFilter extends ChannelDuplexHandler {
    /** The smallest datagram a client may carry an Initial in (RFC 9000 §14.1). */
    public static final int MIN_INITIAL_DATAGRAM = 1200;
    private static final int QUIC_V1 = 1;
    private static final int TYPE_INITIAL = 0;
    private static final int TYPE_RETRY = 3;

    private final UnvalidatedTraffic traffic;
    private final SourceRateLimiter retries;

    public UnvalidatedTrafficFilter(UnvalidatedTraffic traffic, SourceRateLimiter retries) {
        this.traffic = traffic;
        this.retries = retries;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet) || !packet.content().isReadable()) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = packet.content();
        int length = in.readableBytes();
        int first = in.getUnsignedByte(in.readerIndex());
        if (first < 0x40) { // discovery (§2); DiscoveryHandler decides whether to answer
            traffic.received(length);
            ctx.fireChannelRead(msg);
            return;
        }
        if ((first & 0x80) == 0) { // a short header: only a connection can use it
            ctx.fireChannelRead(msg);
            return;
        }
        if (length < 5) {
            drop(packet);
            return;
        }
        long version = in.getUnsignedInt(in.readerIndex() + 1);
        int type = (first >> 4) & 3;
        boolean opening = version != QUIC_V1 || type == TYPE_INITIAL;
        if (!opening) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (length < MIN_INITIAL_DATAGRAM) {
            drop(packet);
            return;
        }
        int tokenLength = version == QUIC_V1 ? initialTokenLength(in) : 0;
        if (tokenLength < 0) { // not a well-formed Initial: the codec would drop it too
            drop(packet);
            return;
        }
        if (tokenLength > 0) {
            // The token handler decides; if it refuses, it counts these bytes (see UnvalidatedTraffic).
            traffic.initialWithToken(length);
            try {
                ctx.fireChannelRead(msg);
            } finally {
                traffic.initialDone();
            }
            return;
        }
        if (!retries.tryAcquire(packet.sender().getAddress())) {
            traffic.droppedRateLimited();
            packet.release();
            return;
        }
        traffic.received(length);
        ctx.fireChannelRead(msg);
    }

    private void drop(DatagramPacket packet) {
        traffic.droppedUndersized();
        packet.release();
    }

    /** The token length of a QUIC v1 Initial (RFC 9000 §17.2.2), or -1 when its header is cut short. */
    static int initialTokenLength(ByteBuf b) {
        int at = b.readerIndex() + 5;
        int end = b.writerIndex();
        if (at >= end) return -1;
        at += 1 + b.getUnsignedByte(at); // destination connection id
        if (at >= end) return -1;
        at += 1 + b.getUnsignedByte(at); // source connection id
        if (at >= end) return -1;
        int prefix = b.getUnsignedByte(at) >> 6;
        int size = 1 << prefix;
        if (at + size > end) return -1;
        long value = b.getUnsignedByte(at) & 0x3f;
        for (int i = 1; i < size; i++) value = (value << 8) | b.getUnsignedByte(at + i);
        return value > end - at - size ? -1 : (int) value;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof DatagramPacket packet && packet.content().isReadable() && towardsUnvalidated(packet.content())) {
            traffic.sent(packet.content().readableBytes());
        }
        ctx.write(msg, promise);
    }

    /** A discovery reply, a Version Negotiation packet or a Retry: the packets sent to addresses not validated. */
    private static boolean towardsUnvalidated(ByteBuf out) {
        int first = out.getUnsignedByte(out.readerIndex());
        if (first < 0x40) return true;
        if ((first & 0x80) == 0 || out.readableBytes() < 5) return false;
        long version = out.getUnsignedInt(out.readerIndex() + 1);
        return version == 0 || (version == QUIC_V1 && ((first >> 4) & 3) == TYPE_RETRY);
    }
}
