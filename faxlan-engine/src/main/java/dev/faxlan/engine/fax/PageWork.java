package dev.faxlan.engine.fax;

import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Where a session's page work runs: coding a page to send, decoding a page received. Either takes
 * milliseconds, and on a thread that paces many calls every IFP falling due meanwhile would wait for
 * it; so a {@link CallScheduler} runs it on workers and hands the answer back to the call's lane. The
 * session asks, and hears the answer later, on the thread that drives it.
 */
interface PageWork {

    /** What the session does with an answer, at the time it came. */
    interface Answer<T> {
        void accept(T result, long now);
    }

    /**
     * Runs {@code job}, which must not touch the session, and passes its result to {@code then} on the
     * thread that drives the session. {@code now} is the time of asking.
     */
    <T> void submit(Supplier<T> job, Answer<T> then, long now);

    /**
     * Runs {@code job} here, on a worker, and returns how its answer is taken in on the thread that drives
     * the session: its result passed to {@code then}, or its failure thrown again there, where a failure
     * inside a call ends that call.
     */
    static <T> LongConsumer run(Supplier<T> job, Answer<T> then) {
        try {
            T result = job.get();
            return at -> then.accept(result, at);
        } catch (RuntimeException | Error e) {
            return at -> {
                throw e;
            };
        }
    }

    /** At once, on the thread that asks (a session driven alone, or tests on a simulated clock). */
    PageWork INLINE = new PageWork() {
        @Override
        public <T> void submit(Supplier<T> job, Answer<T> then, long now) {
            then.accept(job.get(), now);
        }
    };
}
