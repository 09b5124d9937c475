package dev.faxlan.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerThreadsTest {
    @Test
    void aGuardedTaskThatRunsOutOfMemoryLeavesItsThreadAlive() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(ServerThreads.daemon("guarded-test"));
        try {
            CompletableFuture<Thread> failedOn = new CompletableFuture<>();
            pool.execute(ServerThreads.guarded("a test task", () -> {
                failedOn.complete(Thread.currentThread());
                throw new OutOfMemoryError("simulated");
            }));
            CompletableFuture<Thread> nextOn = new CompletableFuture<>();
            pool.execute(() -> nextOn.complete(Thread.currentThread()));
            Thread t = failedOn.get(10, TimeUnit.SECONDS);
            assertThat(nextOn.get(10, TimeUnit.SECONDS)).isSameAs(t);
            assertThat(t.getName()).isEqualTo("guarded-test-1");
            assertThat(t.getUncaughtExceptionHandler()).isSameAs(ServerThreads.LOG_UNCAUGHT);
        } finally {
            pool.shutdownNow();
        }
    }
}
