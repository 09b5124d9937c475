package dev.faxlan.engine.tsb85;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The TSB-85 conformance procedures (our scenario files under {@code tsb85/}) against faxlan's T.30
 * session, each on the audio front end (G.711 with faxlan's modems) and on T.38. Prints passes per
 * group at the end. The calls run on counted samples and milliseconds, far faster than real time.
 */
class Tsb85Test {
    static final List<String> GROUPS = List.of("MRGN", "MRGX", "MRGP", "ORGC", "OREN", "ORGP", "MTGN", "MTGX", "MTGP", "OTGC", "OTEN", "OTGP");

    /** Per group and transport: passed, failed, skipped. */
    private static final Map<String, int[]> TALLY = new TreeMap<>();
    private static final List<String> NOT_PASSED = java.util.Collections.synchronizedList(new ArrayList<>());

    @TestFactory
    Stream<DynamicNode> procedures() throws IOException {
        List<DynamicNode> groups = new ArrayList<>();
        for (String group : GROUPS) {
            List<DynamicNode> tests = new ArrayList<>();
            for (Scenario s : Scenario.load(group)) {
                // -Dtsb85.only=MRGN07,OTGC10 runs just those (when working on one procedure).
                String only = System.getProperty("tsb85.only", "");
                if (!only.isEmpty() && !List.of(only.split(",")).contains(s.name())) continue;
                for (TesterLine.Kind kind : TesterLine.Kind.values()) {
                    tests.add(DynamicTest.dynamicTest(s.name() + " on " + kind, () -> run(s, kind)));
                }
            }
            groups.add(DynamicContainer.dynamicContainer(group, tests));
        }
        return groups.stream();
    }

    private static void run(Scenario s, TesterLine.Kind kind) {
        int[] t = TALLY.computeIfAbsent(s.group() + " " + kind, k -> new int[3]);
        if (s.skip() != null) {
            t[2]++;
            Assumptions.abort(s.skip());
        }
        String known = s.known().get(kind.name().toLowerCase(java.util.Locale.ROOT));
        try {
            new Tester(s, kind).run();
        } catch (Tester.Failure e) {
            t[1]++;
            NOT_PASSED.add(e.getMessage() + (known == null ? "" : " [known: " + known + "]"));
            if (known != null) Assumptions.abort("known not to pass: " + known + "; " + e.getMessage());
            throw e;
        }
        t[0]++;
        if (known != null) {
            throw new AssertionError(s.name() + " on " + kind + " passes now: remove its \"known\" line (" + known + ")");
        }
    }

    @AfterAll
    static void summary() {
        StringBuilder b = new StringBuilder("TSB-85 procedures (passed/failed/skipped):\n");
        int[] all = new int[3];
        TALLY.forEach((k, v) -> {
            b.append(String.format("  %-12s %3d passed %3d failed %3d skipped%n", k, v[0], v[1], v[2]));
            for (int i = 0; i < 3; i++) all[i] += v[i];
        });
        b.append(String.format("  %-12s %3d passed %3d failed %3d skipped%n", "all", all[0], all[1], all[2]));
        for (String n : NOT_PASSED) b.append("  not passed: ").append(n).append('\n');
        System.out.print(b);
        try {
            // Also kept beside the test reports, for CI to show.
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "tsb85-summary.txt"), b);
        } catch (java.io.IOException e) {
            System.out.println("(could not write target/tsb85-summary.txt: " + e.getMessage() + ")");
        }
    }
}
