package dev.faxlan.server.cpi;

import dev.faxlan.protocol.discovery.Discovery;
import dev.faxlan.server.cpi.abuse.FloodLimits;
import dev.faxlan.server.cpi.abuse.SourceRateLimiter;
import dev.faxlan.server.cpi.abuse.UnvalidatedTraffic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sits in front of the QUIC codec on the server's UDP socket. Datagrams whose first byte is below 0x40
 * are discovery probes (QUIC always sets 0x40) and are answered here; everything else goes on to QUIC.
 * Replies are never larger than the probe, and token buckets cap replies per second, in total and per
 * source (IPv4 address or IPv6 /64), so the port cannot be used to amplify traffic, reflects little, and
 * one sender cannot use up the replies meant for everyone.
 */
final class DiscoveryHandler extends ChannelInboundHandlerAdapter {
    static final int REPLIES_PER_SECOND = 100;
    private final Supplier<Discovery.Reply> self;
    private final Clock clock;
    private double tokens = REPLIES_PER_SECOND;
    private long lastRefill;
    private final SourceRateLimiter perSource;
    private final UnvalidatedTraffic traffic;

    DiscoveryHandler(Supplier<Discovery.Reply> self, Clock clock) {
        this(self, clock, FloodLimits.DEFAULTS, new UnvalidatedTraffic());
    }

    DiscoveryHandler(Supplier<Discovery.Reply> self, Clock clock, FloodLimits limits, UnvalidatedTraffic traffic) {
        this.self = self;
        this.clock = clock;
        this.lastRefill = clock.millis();
        this.perSource = new SourceRateLimiter(limits.discoveryPerSourcePerSecond(), limits.discoveryPerSourceBurst(), limits.trackedSources(), clock);
        this.traffic = traffic;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DatagramPacket packet) {
            ByteBuf content = packet.content();
            if (content.readableBytes() > 0 && Discovery.isDiscovery(content.getByte(content.readerIndex()))) {
                try {
                    answer(ctx, packet);
                } finally {
                    packet.release();
                }
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void answer(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf content = packet.content();
        int length = content.readableBytes();
        if (length < Discovery.MIN_PROBE_SIZE || !globalTokenLeft()) return;
        // The source's own share first, so that a sender over its share does not use up the total.
        if (!perSource.tryAcquire(packet.sender().getAddress())) {
            traffic.droppedRateLimited();
            return;
        }
        if (!takeToken()) return;
        byte[] head = new byte[Discovery.HEADER];
        content.getBytes(content.readerIndex(), head);
        byte[] padded = new byte[Discovery.MIN_PROBE_SIZE];
        System.arraycopy(head, 0, padded, 0, head.length);
        Optional<Discovery.Probe> probe = Discovery.decodeProbe(padded, length);
        if (probe.isEmpty()) return;
        Discovery.Reply me = self.get();
        byte[] reply = Discovery.encodeReply(new Discovery.Reply(probe.get().nonce(), me.name(), me.port(), me.version(), me.fingerprint()));
        if (reply.length > length) return;
        // Written from this handler's context, so it goes to the socket without passing the QUIC codec.
        ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply), packet.sender()));
    }

    private boolean globalTokenLeft() {
        long now = clock.millis();
        tokens = Math.min(REPLIES_PER_SECOND, tokens + (now - lastRefill) * REPLIES_PER_SECOND / 1000.0);
        lastRefill = now;
        return tokens >= 1;
    }

    private boolean takeToken() {
        if (!globalTokenLeft()) return false;
        tokens -= 1;
        return true;
    }
}
