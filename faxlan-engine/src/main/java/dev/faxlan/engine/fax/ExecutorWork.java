package dev.faxlan.engine.fax;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Work run on an executor for a session driven by one thread at a steady pace (an audio terminal, one
 * block every 20 ms): answers wait in a queue until that thread takes them in, at the time it does.
 * So the thread never waits for the work and the session is still touched by it alone.
 */
final class ExecutorWork implements PageWork {
    private final Executor executor;
    private final ConcurrentLinkedQueue<LongConsumer> answers = new ConcurrentLinkedQueue<>();

    ExecutorWork(Executor executor) {
        this.executor = executor;
    }

    @Override
    public <T> void submit(Supplier<T> job, Answer<T> then, long now) {
        try {
            executor.execute(() -> answers.add(PageWork.run(job, then)));
        } catch (RejectedExecutionException e) {
            // The executor is stopping with its owner: the work is still done, here.
            then.accept(job.get(), now);
        }
    }

    /** Passes the answers that came since the last call to their sessions' parts; on the driving thread. */
    void takeAnswers(long now) {
        for (LongConsumer a; (a = answers.poll()) != null; ) a.accept(now);
    }
}
