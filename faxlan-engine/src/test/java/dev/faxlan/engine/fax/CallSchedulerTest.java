package dev.faxlan.engine.fax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faxlan.engine.image.BilevelPage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
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

    /** A page is read and coded on the scheduler's page workers, not on a lane; the workers end with the scheduler. */
    @Test
    void pagesAreCodedOnItsWorkersThatEndWithIt() throws Exception {
        double speed = 20;
        long t0 = System.nanoTime();
        LongSupplier clock = () -> (long) ((System.nanoTime() - t0) / 1e6 * speed);
        List<String> readOn = new CopyOnWriteArrayList<>();
        OutgoingPages pages = new OutgoingPages() {
            public int count() {
                return 1;
            }

            public int width() {
                return 1728;
            }

            public int yRes() {
                return 196;
            }

            public BilevelPage page(int index) {
                readOn.add(Thread.currentThread().getName());
                return FaxSessionTest.page(196, 5);
            }
        };
        try (CallScheduler scheduler = new CallScheduler("workers-test", clock, speed, 2)) {
            CompletableFuture<FaxResult> sent = new CompletableFuture<>();
            CompletableFuture<FaxResult> received = new CompletableFuture<>();
            CompletableFuture<BilevelPage> page = new CompletableFuture<>();
            T38Terminal tx = T38Terminal.send(pages, FaxOptions.defaults("1").withEcm(true), e -> {
                if (e instanceof FaxEvent.Completed c) sent.complete(c.result());
            }, scheduler.now());
            T38Terminal rx = T38Terminal.receive(FaxOptions.defaults("2").withEcm(true), e -> {
                if (e instanceof FaxEvent.Page p) page.complete(p.received().page());
                if (e instanceof FaxEvent.Completed c) received.complete(c.result());
            }, scheduler.now());
            T38Call[] calls = new T38Call[2];
            calls[0] = new T38Call(tx, d -> scheduler.deliver(calls[1], d), 2, 3, 400);
            calls[1] = new T38Call(rx, d -> scheduler.deliver(calls[0], d), 2, 3, 400);
            scheduler.add(calls[0]);
            scheduler.add(calls[1]);
            assertThat(sent.get(60, TimeUnit.SECONDS)).isEqualTo(FaxResult.OK);
            assertThat(received.get(60, TimeUnit.SECONDS)).isEqualTo(FaxResult.OK);
            assertThat(page.get().firstDifferentRow(FaxSessionTest.page(196, 5))).isEqualTo(-1);
            assertThat(readOn).containsExactly("workers-test-pages");
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("workers-test-pages")));
    }
}
