package dev.faxlan.server.cpi.abuse;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections whose handshake has not completed. Each one costs the QUIC library some 50 KB, and Netty
 * has no cap of its own, so this admits a new connection (a Retry token that checked out) only while
 * fewer than {@code maxHalfOpen} are in their handshake and its source is within its rate, and closes a
 * connection whose handshake is not done by the deadline. The Retry itself keeps no state, so nothing
 * is held for an address that has not proved it receives our packets.
 */
public final class HalfOpenConnections {
    private static final AttributeKey<ScheduledFuture<?>> PENDING = AttributeKey.valueOf("faxlan.cpi.half-open");
    private final FloodLimits limits;
    private final SourceRateLimiter perSource;
    private final AtomicInteger open = new AtomicInteger();
    private final Tracker tracker = new Tracker();

    public HalfOpenConnections(FloodLimits limits, Clock clock) {
        this.limits = limits;
        this.perSource = new SourceRateLimiter(limits.newConnectionsPerSourcePerSecond(), limits.newConnectionsPerSourceBurst(),
                limits.trackedSources(), clock);
    }

    /** Whether a connection from {@code source}, whose Retry token checked out, may start its handshake. */
    public boolean admit(InetAddress source) {
        return open.get() < limits.maxHalfOpen() && perSource.tryAcquire(source);
    }

    /** Connections in their handshake now. */
    public int open() {
        return open.get();
    }

    /** The handler to put first on every server-side QUIC connection. */
    public ChannelHandler tracker() {
        return tracker;
    }

    @ChannelHandler.Sharable
    private final class Tracker extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            open.incrementAndGet();
            ScheduledFuture<?> deadline = ctx.executor().schedule(() -> {
                if (ctx.channel().attr(PENDING).get() == null) return;
                done(ctx);
                ctx.channel().close();
            }, limits.handshakeDeadline().toMillis(), TimeUnit.MILLISECONDS);
            ctx.channel().attr(PENDING).set(deadline);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            done(ctx);
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done(ctx);
            ctx.fireChannelInactive();
        }

        /** A channel that never became active fires no channelInactive when it closes, but is always unregistered. */
        @Override
        public void channelUnregistered(ChannelHandlerContext ctx) {
            done(ctx);
            ctx.fireChannelUnregistered();
        }

        private void done(ChannelHandlerContext ctx) {
            ScheduledFuture<?> deadline = ctx.channel().attr(PENDING).getAndSet(null);
            if (deadline != null) {
                deadline.cancel(false);
                open.decrementAndGet();
            }
        }
    }
}
