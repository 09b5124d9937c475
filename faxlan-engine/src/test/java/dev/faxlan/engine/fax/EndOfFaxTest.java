package dev.faxlan.engine.fax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t30.T30Frame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The end of a fax in the order that keeps it safe against a crash: the receiver stores the fax before
 * it confirms the last page, the sender hears of the confirmation before its DCN; a fax that could not
 * be stored is not confirmed. Stores answer late (as a disk sync does) and the sessions wait for them.
 */
class EndOfFaxTest {
    private static final long STORE_MS = 1_500;
    private static final long RECORD_MS = 500;

    /** What happened, in order: frames sent as "rx MCF" or "tx DCN", hooks as "rx stored 2" or "tx confirmed 2". */
    private final List<String> log = new ArrayList<>();
    /** When each frame in {@link #log} was sent (hooks: -1). */
    private final List<Long> at = new ArrayList<>();

    @ParameterizedTest(name = "ecm {0}")
    @ValueSource(booleans = {false, true})
    void theLastPageIsConfirmedOnlyOnceStoredAndTheSenderHearsOfItBeforeItsDcn(boolean ecm) throws Exception {
        List<BilevelPage> pages = List.of(FaxSessionTest.page(196, 1), FaxSessionTest.page(196, 2));
        T38Terminal tx = T38Terminal.send(OutgoingPages.of(pages), FaxOptions.defaults("+1 555 0100").withEcm(ecm), e -> {}, sent("tx"), 0);
        T38Terminal rx = T38Terminal.receive(FaxOptions.defaults("+1 555 0199").withEcm(ecm), e -> {}, sent("rx"), 0);
        tx.session().endOfFax(new EndOfFax() {
            @Override
            public void lastPageConfirmed(int pageCount) {
                hook("tx confirmed " + pageCount);
            }
        });
        FaxCallSimulation sim = new FaxCallSimulation(tx, rx, 20, 0, 3, 2, 1);
        // Pages decode at once; the store alone answers late.
        FaxCallSimulation.DelayedWork storing = sim.delayWork(rx, 0);
        FaxCallSimulation.DelayedWork recording = sim.delayWork(tx, RECORD_MS);
        rx.session().endOfFax(new EndOfFax() {
            @Override
            public boolean lastPageReceived(int pageCount) {
                hook("rx stored " + pageCount);
                storing.delayMs = STORE_MS;
                return true;
            }
        });

        sim.run(10 * 60_000);

        assertThat(tx.result()).isEqualTo(FaxResult.OK);
        assertThat(rx.result()).isEqualTo(FaxResult.OK);
        assertThat(log).as("what happened").containsSubsequence("rx stored 2", "rx MCF", "tx confirmed 2", "tx DCN")
                .containsOnlyOnce("rx stored 2", "tx confirmed 2");
        int stored = log.indexOf("rx stored 2");
        assertThat(log.subList(stored + 1, log.size())).as("after the store").contains("rx MCF");
        assertThat(log.subList(0, stored)).as("before the store: the sender's DCN").doesNotContain("tx DCN", "tx confirmed 2");
        long storeAsked = storing.asked.get(storing.asked.size() - 1);
        assertThat(at.get(log.lastIndexOf("rx MCF"))).as("the last MCF goes once the store answered").isGreaterThanOrEqualTo(storeAsked + STORE_MS);
        long recordAsked = recording.asked.get(recording.asked.size() - 1);
        assertThat(at.get(log.indexOf("tx DCN"))).as("the DCN goes once the record answered").isGreaterThanOrEqualTo(recordAsked + RECORD_MS);
    }

    @ParameterizedTest(name = "ecm {0}")
    @ValueSource(booleans = {false, true})
    void aFaxThatCannotBeStoredIsNotConfirmedAndTheSenderMayRetry(boolean ecm) throws Exception {
        List<BilevelPage> pages = List.of(FaxSessionTest.page(196, 3));
        T38Terminal tx = T38Terminal.send(OutgoingPages.of(pages), FaxOptions.defaults("+1 555 0100").withEcm(ecm), e -> {}, sent("tx"), 0);
        T38Terminal rx = T38Terminal.receive(FaxOptions.defaults("+1 555 0199").withEcm(ecm), e -> {}, sent("rx"), 0);
        tx.session().endOfFax(new EndOfFax() {
            @Override
            public void lastPageConfirmed(int pageCount) {
                hook("tx confirmed " + pageCount);
            }
        });
        rx.session().endOfFax(new EndOfFax() {
            @Override
            public boolean lastPageReceived(int pageCount) {
                hook("rx stored " + pageCount);
                // A store that fails throws (a full disk, a lost database): the session takes it as "not stored".
                throw new IllegalStateException("no space left on the spool");
            }
        });
        FaxCallSimulation sim = new FaxCallSimulation(tx, rx, 20, 0, 3, 2, 1);
        sim.delayWork(rx, STORE_MS);

        sim.run(10 * 60_000);

        assertThat(rx.result()).isEqualTo(FaxResult.RECEIVED_NOT_STORED);
        assertThat(tx.result()).as("the sender's outcome").isNotEqualTo(FaxResult.OK);
        assertThat(tx.result().retryable()).as("%s is retryable", tx.result()).isTrue();
        assertThat(log).as("what happened").contains("rx stored 1", "rx DCN").doesNotContain("rx MCF", "tx confirmed 1");
    }

    private void hook(String what) {
        log.add(what);
        at.add(-1L);
    }

    private FaxSessionObserver sent(String side) {
        return new FaxSessionObserver() {
            @Override
            public void frames(Direction direction, T30State state, List<T30Frame> frames, long now) {
                if (direction != Direction.SENT) return;
                for (T30Frame f : frames) {
                    log.add(side + " " + f.fcf().name());
                    at.add(now);
                }
            }
        };
    }
}
