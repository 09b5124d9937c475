package dev.faxlan.engine.fax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.Compression;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Whole calls under random loss: the outcome is typed, the call ends, and delivered pages are exact. */
class FaxSessionPropertiesTest {

    /** The acceptance bar: ECM with redundancy 3 at 5% loss always succeeds. */
    @Property(tries = 25)
    void ecmWithRedundancySurvivesFivePercentLoss(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) throws Exception {
        Outcome o = call(seed, 0.05, 3, true);
        assertThat(o.tx).isEqualTo(FaxResult.OK);
        assertThat(o.rx).isEqualTo(FaxResult.OK);
        assertThat(o.exactPages).isEqualTo(2);
    }

    /** Anything goes wrong more often: still never a hang, and never a page that differs from the one sent. */
    @Property(tries = 25)
    void heavyLossEndsWithATypedOutcomeAndNoWrongPage(@ForAll @LongRange(min = 1, max = 1_000_000) long seed,
            @ForAll @IntRange(min = 0, max = 2) int redundancy, @ForAll boolean ecm) throws Exception {
        Outcome o = call(seed, 0.12, redundancy, ecm);
        assertThat(o.finished).as("both ends finished").isTrue();
        assertThat(o.tx).isNotNull();
        assertThat(o.rx).isNotNull();
        if (ecm) assertThat(o.wrongPages).isZero();
    }

    record Outcome(boolean finished, FaxResult tx, FaxResult rx, int exactPages, int wrongPages) {}

    static Outcome call(long seed, double loss, int redundancy, boolean ecm) throws Exception {
        List<BilevelPage> pages = List.of(FaxSessionTest.page(196, seed), FaxSessionTest.page(196, seed + 1));
        List<FaxEvent> received = new ArrayList<>();
        FaxOptions opts = FaxOptions.defaults("1").withCodings(EnumSet.allOf(Compression.class)).withEcm(ecm);
        T38Terminal tx = T38Terminal.send(pages, opts, e -> {}, 0);
        T38Terminal rx = T38Terminal.receive(opts, received::add, 0);
        FaxCallSimulation sim = new FaxCallSimulation(tx, rx, 20, loss, redundancy, 2, seed);
        sim.run(30 * 60_000);
        int exact = 0;
        int wrong = 0;
        int i = 0;
        for (FaxEvent e : received) {
            if (e instanceof FaxEvent.Page p && i < pages.size()) {
                if (p.received().page().firstDifferentRow(pages.get(i)) == -1) exact++;
                else wrong++;
                i++;
            }
        }
        return new Outcome(tx.done() && rx.done(), tx.result(), rx.result(), exact, wrong);
    }
}
