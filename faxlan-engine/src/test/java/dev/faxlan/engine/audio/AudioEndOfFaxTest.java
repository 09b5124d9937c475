package dev.faxlan.engine.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.fax.EndOfFax;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.fax.FaxSessionObserver;
import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.engine.fax.T30State;
import dev.faxlan.engine.t30.T30Frame;
import dev.faxlan.modem.g711.G711;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The end of an audio fax in the order that keeps it safe against a crash, as on T.38 (EndOfFaxTest):
 * the receiver's store runs before its last MCF, the sender hears of the confirmation before its DCN,
 * and a fax that could not be stored is not confirmed. The hooks run on an executor while the audio
 * goes on: the test's thread, which plays both terminals' audio, keeps exchanging blocks while the
 * store is held.
 */
class AudioEndOfFaxTest {
    /** Blocks (20 ms each) the audio runs while the receiver's store is held: 1 s, within the sender's T4 (3 s). */
    private static final int BLOCKS_WHILE_STORING = 50;

    /** What happened, in order: frames sent as "rx MCF" or "tx DCN", hooks as "rx stored 2" or "tx confirmed 2". */
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService hooks = Executors.newSingleThreadExecutor();
    /** The hook job running or queued on {@link #hooks}, so the test can wait for it without a clock. */
    private final AtomicReference<Future<?>> hookJob = new AtomicReference<>();
    private final CountDownLatch releaseStore = new CountDownLatch(1);
    private volatile Thread storeThread;
    private final Thread audioThread = Thread.currentThread();

    @AfterEach
    void stop() {
        releaseStore.countDown();
        hooks.shutdownNow();
    }

    @ParameterizedTest(name = "ecm {0}")
    @ValueSource(booleans = {false, true})
    void theStoreRunsBesideTheAudioAndTheLastMcfWaitsForIt(boolean ecm) {
        Call c = call(ecm, 2, true);

        assertThat(c.rx.result()).isEqualTo(FaxResult.OK);
        assertThat(c.tx.result()).isEqualTo(FaxResult.OK);
        assertThat(c.blocksWhileStoring).as("blocks exchanged while the store was held").isEqualTo(BLOCKS_WHILE_STORING);
        assertThat(storeThread).as("the store's thread").isNotNull().isNotEqualTo(Thread.currentThread());
        assertThat(log).as("what happened").containsSubsequence("rx stored 2", "rx MCF", "tx confirmed 2", "tx DCN")
                .containsOnlyOnce("rx stored 2", "tx confirmed 2");
        int stored = log.indexOf("rx stored 2");
        assertThat(log.subList(stored, log.size())).as("after the store began").contains("rx MCF");
        assertThat(log.subList(0, stored)).as("before the store").doesNotContain("tx confirmed 2", "tx DCN");
        assertThat(log.subList(stored, log.indexOf("stored answered"))).as("while the store was held").doesNotContain("rx MCF");
    }

    @ParameterizedTest(name = "ecm {0}")
    @ValueSource(booleans = {false, true})
    void aFaxThatCannotBeStoredIsNotConfirmed(boolean ecm) {
        Call c = call(ecm, 1, false);

        assertThat(c.rx.result()).isEqualTo(FaxResult.RECEIVED_NOT_STORED);
        assertThat(c.tx.result()).as("the sender's outcome").isNotEqualTo(FaxResult.OK);
        assertThat(c.tx.result().retryable()).as("%s is retryable", c.tx.result()).isTrue();
        assertThat(log).as("what happened").contains("rx stored 1", "rx DCN").doesNotContain("rx MCF", "tx confirmed 1");
    }

    private record Call(AudioTerminal tx, AudioTerminal rx, int blocksWhileStoring) {}

    /** A call of {@code pages} pages whose receiver's store answers {@code stores} once the test released it. */
    private Call call(boolean ecm, int pages, boolean stores) {
        AudioTerminal tx = AudioTerminal.send(OutgoingPages.of(AudioTerminalTest.pages(11, pages)), FaxOptions.defaults("+1 555 0100").withEcm(ecm),
                e -> {}, sent("tx"), ImageModems.faxlan());
        AudioTerminal rx = AudioTerminal.receive(FaxOptions.defaults("+1 555 0199").withEcm(ecm), e -> {}, sent("rx"), ImageModems.faxlan());
        tx.endOfFax(new EndOfFax() {
            @Override
            public void lastPageConfirmed(int pageCount) {
                log.add("tx confirmed " + pageCount);
            }
        }, this::runHook);
        rx.endOfFax(new EndOfFax() {
            @Override
            public boolean lastPageReceived(int pageCount) {
                storeThread = Thread.currentThread();
                log.add("rx stored " + pageCount);
                // On the audio's thread the hold below would stop the audio itself.
                if (storeThread == audioThread) return false;
                try {
                    // Held until the audio has gone on without it; a guard, not a timing: the test fails if it is reached.
                    if (!releaseStore.await(5, TimeUnit.MINUTES)) return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                log.add("stored answered");
                if (!stores) throw new IllegalStateException("no space left on the spool");
                return true;
            }
        }, this::runHook);

        AudioCall a = new AudioCall(tx, G711.ALAW);
        AudioCall b = new AudioCall(rx, G711.ALAW);
        byte[] toA = silence();
        byte[] toB = silence();
        int whileStoring = 0;
        for (long ms = 0; !(a.done() && b.done()) && ms < AudioTerminalTest.LIMIT_MS; ms += 20) {
            if (storeThread != null && releaseStore.getCount() > 0) {
                if (whileStoring == BLOCKS_WHILE_STORING) {
                    // Released, and awaited before the next block: the answer comes at a known point of the call.
                    releaseStore.countDown();
                    awaitHook();
                } else {
                    whileStoring++;
                }
            }
            byte[] fromA = a.frame(toA);
            byte[] fromB = b.frame(toB);
            toA = fromB;
            toB = fromA;
        }
        assertThat(a.done() && b.done()).as("both ends done within %d ms of call", AudioTerminalTest.LIMIT_MS).isTrue();
        return new Call(tx, rx, whileStoring);
    }

    private void runHook(Runnable r) {
        hookJob.set(hooks.submit(r));
    }

    private void awaitHook() {
        Future<?> job = hookJob.get();
        if (job == null) throw new AssertionError("the store ran on the audio's thread, not on the executor");
        try {
            job.get(5, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new AssertionError("the store did not answer", e);
        }
    }

    private static byte[] silence() {
        byte[] s = new byte[AudioTerminal.BLOCK];
        java.util.Arrays.fill(s, G711.ALAW.encode(0));
        return s;
    }

    private FaxSessionObserver sent(String side) {
        return new FaxSessionObserver() {
            @Override
            public void frames(Direction direction, T30State state, List<T30Frame> frames, long now) {
                if (direction != Direction.SENT) return;
                for (T30Frame f : frames) log.add(side + " " + f.fcf().name());
            }
        };
    }
}
