package dev.faxlan.engine.fax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallSchedulerTest {
    @Test
    void anErrorInOneCallEndsThatCallAndTheSchedulerDrivesTheNext() throws Exception {
        try (CallScheduler scheduler = new CallScheduler("scheduler-test", System::currentTimeMillis, 1)) {
            CompletableFuture<FaxResult> firstEnded = new CompletableFuture<>();
            T38Terminal[] first = new T38Terminal[1];
            first[0] = T38Terminal.receive(FaxOptions.defaults("111"), e -> {
                if (e instanceof FaxEvent.Completed) firstEnded.complete(first[0].result());
            }, scheduler.now());
            AtomicInteger sends = new AtomicInteger();
            scheduler.add(new T38Call(first[0], d -> {
                // The first datagram meets a full heap; the hang-up (DCN) after it goes out.
                if (sends.getAndIncrement() == 0) throw new OutOfMemoryError("simulated");
            }, 2, 3, 400));
            assertThat(firstEnded.get(30, TimeUnit.SECONDS)).isEqualTo(FaxResult.CANCELLED);

            CompletableFuture<Void> secondSent = new CompletableFuture<>();
            T38Terminal second = T38Terminal.receive(FaxOptions.defaults("222"), e -> {}, scheduler.now());
            scheduler.add(new T38Call(second, d -> secondSent.complete(null), 2, 3, 400));
            secondSent.get(30, TimeUnit.SECONDS);
        }
    }

    /** Every call is served, on whichever lane it went to, and each cancel ends its own call and no other. */
    @Test
    void callsOnEveryLaneAreDrivenAndEachCancelEndsOnlyItsCall() {
        try (CallScheduler scheduler = new CallScheduler("lanes-test", System::currentTimeMillis, 1, 3)) {
            Map<Integer, FaxResult> ended = new ConcurrentHashMap<>();
            Map<Integer, AtomicInteger> sent = new ConcurrentHashMap<>();
            List<T38Call> calls = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                int id = i;
                sent.put(id, new AtomicInteger());
                T38Terminal session = T38Terminal.receive(FaxOptions.defaults("" + id), e -> {
                    if (e instanceof FaxEvent.Completed c) ended.put(id, c.result());
                }, scheduler.now());
                T38Call call = new T38Call(session, d -> sent.get(id).incrementAndGet(), 2, 3, 400);
                calls.add(call);
                scheduler.add(call);
            }
            // CED is due at once: every call sends it, whatever its lane.
            await().atMost(Duration.ofSeconds(30)).until(() -> sent.values().stream().allMatch(n -> n.get() > 0));
            for (int i = 0; i < 30; i += 2) scheduler.cancel(calls.get(i));
            await().atMost(Duration.ofSeconds(30)).until(() -> ended.size() == 15);
            for (int i = 0; i < 30; i++) {
                assertThat(ended.get(i)).as("call %d", i).isEqualTo(i % 2 == 0 ? FaxResult.CANCELLED : null);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.active() == 15);
        }
    }
}
