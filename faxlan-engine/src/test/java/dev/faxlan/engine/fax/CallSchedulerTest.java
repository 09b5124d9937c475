package dev.faxlan.engine.fax;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallSchedulerTest {
    @Test
    void anErrorInOneCallEndsThatCallAndTheSchedulerDrivesTheNext() throws Exception {
        try (CallScheduler scheduler = new CallScheduler("scheduler-test", System::currentTimeMillis, 1)) {
            CompletableFuture<FaxResult> firstEnded = new CompletableFuture<>();
            FaxSession[] first = new FaxSession[1];
            first[0] = FaxSession.receive(FaxOptions.defaults("111"), e -> {
                if (e instanceof FaxEvent.Completed) firstEnded.complete(first[0].result());
            }, scheduler.now());
            AtomicInteger sends = new AtomicInteger();
            scheduler.add(new T38Call(first[0], d -> {
                // The first datagram meets a full heap; the hang-up (DCN) after it goes out.
                if (sends.getAndIncrement() == 0) throw new OutOfMemoryError("simulated");
            }, 2, 3, 400));
            assertThat(firstEnded.get(30, TimeUnit.SECONDS)).isEqualTo(FaxResult.CANCELLED);

            CompletableFuture<Void> secondSent = new CompletableFuture<>();
            FaxSession second = FaxSession.receive(FaxOptions.defaults("222"), e -> {}, scheduler.now());
            scheduler.add(new T38Call(second, d -> secondSent.complete(null), 2, 3, 400));
            secondSent.get(30, TimeUnit.SECONDS);
        }
    }
}
