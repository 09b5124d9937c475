package dev.faxlan.server.cpi;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.quic.QuicChannel;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AlertPusherTest {
    /** Holds tasks instead of running them, so a test sees how many were queued. */
    static final class HeldTasks extends AbstractExecutorService {
        final List<Runnable> queued = new ArrayList<>();

        public void execute(Runnable r) {
            queued.add(r);
        }

        public void shutdown() {}

        public List<Runnable> shutdownNow() {
            return List.of();
        }

        public boolean isShutdown() {
            return false;
        }

        public boolean isTerminated() {
            return false;
        }

        public boolean awaitTermination(long t, TimeUnit u) {
            return true;
        }
    }

    /** A connection that stays open and is never asked for a stream in these tests. */
    static QuicChannel openConnection() {
        EmbeddedChannel ch = new EmbeddedChannel();
        return (QuicChannel) Proxy.newProxyInstance(QuicChannel.class.getClassLoader(), new Class<?>[] {QuicChannel.class},
                (p, m, a) -> m.getName().equals("closeFuture") ? ch.newPromise() : null);
    }

    @Test
    void manyEventsQueueOnePushPerSubscription() throws Exception {
        HeldTasks workers = new HeldTasks();
        AlertPusher pusher = new AlertPusher(null, workers, 16);
        for (String name : List.of("a", "b", "c")) pusher.subscribe(openConnection(), 1, new byte[32], name, 0).pump();
        assertThat(workers.queued).hasSize(3);
        for (int i = 0; i < 1000; i++) pusher.eventsAppended(1);
        assertThat(workers.queued).as("1000 events, 3 subscriptions").hasSize(3);
    }

    @Test
    void anAckFrameLongerThanTheLimitClosesTheEventStream() {
        byte[] prefix = RawCpiClient.prefix(1000);
        EmbeddedChannel atLimit = new EmbeddedChannel(new AlertPusher.EventStream(null));
        atLimit.writeInbound(Unpooled.wrappedBuffer(prefix), Unpooled.wrappedBuffer(new byte[AlertPusher.MAX_ACK_FRAME - prefix.length]));
        assertThat(atLimit.isOpen()).as("at the limit").isTrue();
        atLimit.writeInbound(Unpooled.wrappedBuffer(new byte[1]));
        assertThat(atLimit.isOpen()).as("one byte over").isFalse();
    }
}
