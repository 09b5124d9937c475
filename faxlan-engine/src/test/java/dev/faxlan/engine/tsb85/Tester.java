package dev.faxlan.engine.tsb85;

import dev.faxlan.engine.fax.FaxEvent;
import dev.faxlan.engine.fax.FaxFrontEnd;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.engine.fax.PollRequest;
import dev.faxlan.engine.fax.PolledDocument;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t30.Dcs;
import dev.faxlan.engine.t30.Fcf;
import dev.faxlan.engine.t30.Modem;
import dev.faxlan.engine.t30.T30FormatException;
import dev.faxlan.engine.t30.T30Frame;
import dev.faxlan.engine.t4.CodecOptions;
import dev.faxlan.engine.t4.Compression;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.engine.t4.T4Encoder;
import dev.faxlan.engine.testsupport.TestPages;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Plays the TSB-85 tester against faxlan's T.30 session: runs one {@link Scenario} on a
 * {@link TesterLine} and says whether faxlan did what the procedure requires. A step that cannot be
 * met ends the run with a {@link Failure} naming the step, what was heard, and the session's state.
 */
final class Tester {
    /** How long the tester waits for the session's next signal unless a step says otherwise (simulated). */
    static final long HEAR_MS = 60_000;
    /** Frames a session may add to a burst that a procedure does not list: identities and facilities. */
    private static final EnumSet<Fcf> EXTRA = EnumSet.of(Fcf.NSF, Fcf.CSI, Fcf.TSI, Fcf.SUB, Fcf.SID, Fcf.PWD, Fcf.NSS);

    static final class Failure extends AssertionError {
        Failure(String message) {
            super(message);
        }
    }

    /** What the tester heard: a burst of V.21 frames, a TCF, a page, or an ECM block (frames on the image modem). */
    sealed interface Heard {}

    record Frames(List<byte[]> frames) implements Heard {
        @Override
        public String toString() {
            return frames.stream().map(Tester::describe).toList().toString();
        }
    }

    record Tcf(int zeros) implements Heard {}

    record Page(int bytes) implements Heard {}

    record Block(List<byte[]> frames) implements Heard {
        @Override
        public String toString() {
            return "ECM block of " + frames.stream().filter(f -> f.length > 2 && (f[2] & 0x7f) == Fcf.FCD.code()).count() + " frames";
        }
    }

    private final Scenario scenario;
    private final TesterLine.Kind kind;
    private TesterLine line;
    private final ArrayDeque<Heard> heard = new ArrayDeque<>();
    private final List<FaxEvent> events = new ArrayList<>();
    private final List<byte[]> burst = new ArrayList<>();
    /** The tester's own DCS (it sends) or the session's (it receives): its modem, resolution and coding. */
    private Dcs dcs;
    private boolean ecm;
    /** Page data being sent as ECM blocks, and where the block being sent starts in it. */
    private byte[] ecmPage;
    private int ecmBlockStart;
    private final Map<String, String> options = new HashMap<>();

    Tester(Scenario scenario, TesterLine.Kind kind) {
        this.scenario = scenario;
        this.kind = kind;
    }

    void run() {
        run(scenario.steps());
    }

    private void run(List<String> steps) {
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i);
            String[] w = step.split("\\s+");
            switch (w[0]) {
                case "dut" -> open(w);
                case "repeat" -> i = repeat(steps, i);
                case "hear" -> {
                    if (w[1].equals("tcf") || w[1].equals("page") || w[1].equals("block") || w[1].equals("hangup")) {
                        hearSignal(w[1], step);
                    } else {
                        // One V.21 burst: frames up to the final one (control octet 0xC8).
                        List<String> expected = new ArrayList<>();
                        expected.add(step);
                        while (!isFinal(step) && i + 1 < steps.size() && steps.get(i + 1).startsWith("hear ") && !isSignal(steps.get(i + 1))) {
                            step = steps.get(++i);
                            expected.add(step);
                        }
                        if (expected.stream().allMatch(e -> e.split("\\s+")[1].endsWith("?"))) {
                            // A burst the DUT may leave out altogether (spandsp's "CRP | nothing"):
                            // taken if it has been heard by now, never waited for.
                            if (heard.peek() instanceof Frames f && f.frames().stream().anyMatch(g -> matches(g, octets(expected.get(0)), false))) {
                                hearFrames(expected);
                            }
                        } else {
                            hearFrames(expected);
                        }
                    }
                }
                case "send" -> {
                    // One V.21 burst; a frame marked bad-fcs goes with a wrong FCS (the session must discard it).
                    List<byte[]> frames = new ArrayList<>();
                    java.util.BitSet bad = new java.util.BitSet();
                    if (step.endsWith(" bad-fcs")) bad.set(frames.size());
                    frames.add(octets(step));
                    while (!isFinal(step) && i + 1 < steps.size() && steps.get(i + 1).startsWith("send ")) {
                        step = steps.get(++i);
                        if (step.endsWith(" bad-fcs")) bad.set(frames.size());
                        frames.add(octets(step));
                    }
                    for (int f = 0; f < frames.size(); f++) if (!bad.get(f)) watchOwnDcs(frames.get(f));
                    line.tester().sendHdlc(frames, bad, line.now());
                    drain(step);
                }
                case "tone" -> {
                    line.tester().sendTone(FaxFrontEnd.Tone.valueOf(w[1]), line.now());
                    drain(step);
                }
                case "tcf" -> sendTcf(w, step);
                case "page" -> sendPage(w, step);
                case "block" -> sendBlock(w, step);
                case "wait" -> {
                    long until = line.now() + Long.parseLong(w[1]);
                    while (line.now() < until) line.step();
                }
                case "hangup" -> line.hangUp();
                case "end" -> end(w[1], step);
                default -> throw new IllegalArgumentException(scenario.group() + "/" + scenario.name() + ": unknown step: " + step);
            }
        }
    }

    /**
     * {@code repeat MIN MAX} … {@code end-repeat}: the steps between, at least MIN and at most MAX times;
     * after MIN, the loop ends as soon as what the session sends next is the frame the step after
     * {@code end-repeat} wants (spandsp's tester reads its repeat blocks the same way). Returns the
     * index of {@code end-repeat}.
     */
    private int repeat(List<String> steps, int at) {
        String[] w = steps.get(at).split("\\s+");
        int min = Integer.parseInt(w[1]);
        int max = Integer.parseInt(w[2]);
        int end = at + 1;
        while (end < steps.size() && !steps.get(end).equals("end-repeat")) end++;
        if (end >= steps.size()) throw new IllegalArgumentException(scenario.name() + ": repeat without end-repeat");
        List<String> body = steps.subList(at + 1, end);
        String after = end + 1 < steps.size() ? steps.get(end + 1) : null;
        for (int n = 0; n < max; n++) {
            if (n >= min && after != null && nextIs(after)) break;
            run(body);
        }
        return end;
    }

    /** Whether the session's next burst (waited for, not taken) starts with the frame {@code step} wants. */
    private boolean nextIs(String step) {
        if (!step.startsWith("hear ") || isSignal(step)) return false;
        until(() -> !heard.isEmpty() || line.dut().done() && !line.tester().txBusy() && heardNothingMore(), HEAR_MS, step);
        return heard.peek() instanceof Frames f && f.frames().stream().anyMatch(fr -> matches(fr, octets(step), step.strip().endsWith("...")));
    }

    private static boolean isSignal(String step) {
        String[] w = step.split("\\s+");
        return w.length > 1 && List.of("tcf", "page", "block", "hangup").contains(w[1]);
    }

    /**
     * Whether a frame step's control octet marks the final frame of its burst. Garbage that is no T.30
     * frame (address not FF) ends no burst: what follows it goes in the same transmission (MRGX13).
     */
    private static boolean isFinal(String step) {
        String[] w = step.split("\\s+");
        return w.length < 4 || w[2].equalsIgnoreCase("FF") && !w[3].equalsIgnoreCase("C0");
    }

    private static byte[] octets(String step) {
        String[] w = step.split("\\s+");
        StringBuilder hex = new StringBuilder();
        for (int i = 2; i < w.length && w[i].matches("[0-9A-Fa-f]{2}"); i++) hex.append(w[i]);
        if (hex.length() == 0) throw new IllegalArgumentException("no octets in step: " + step);
        return HexFormat.of().parseHex(hex.toString());
    }

    private void open(String[] w) {
        boolean sends = w[1].equals("send");
        for (int i = 2; i < w.length; i++) {
            String[] kv = w[i].split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        int pages = Integer.parseInt(options.getOrDefault("pages", "1"));
        ecm = sends ? options.containsKey("ecm") : true;
        FaxOptions opts = FaxOptions.defaults(options.getOrDefault("ident", "+0123456789")).withEcm(ecm)
                .withCodings(EnumSet.of(Compression.MH, Compression.MR, Compression.MMR));
        if (sends) opts = opts.withCodings(EnumSet.of(Compression.MH));
        List<BilevelPage> list = new ArrayList<>();
        int yRes = options.getOrDefault("resolution", "standard").equals("fine") ? 196 : 98;
        for (int i = 0; i < pages; i++) list.add(i == 0 && options.containsKey("large-first-page") ? largePage(yRes) : dutPage(85 + i, yRes));
        // separately: each page a document of its own, with EOM between them (TSB-85's "sends 2 WHITE pages separately").
        OutgoingPages out = options.containsKey("separately") ? OutgoingPages.documents(list.stream().map(List::of).toList()) : OutgoingPages.of(list);
        // dut receive polled=N [password=P] [sep=S]: the session answers holding N pages for polling;
        // dut poll [password=P] [sep=S]: it calls to poll.
        PolledDocument held = null;
        PollRequest poll = null;
        if (w[1].equals("poll")) {
            poll = new PollRequest(options.get("password"), options.get("sep"));
        } else if (!sends && options.containsKey("polled")) {
            List<BilevelPage> doc = new ArrayList<>();
            for (int i = 0; i < Integer.parseInt(options.get("polled")); i++) doc.add(dutPage(85 + i, yRes));
            held = new PolledDocument(OutgoingPages.of(doc), options.get("password"), options.get("sep"));
        }
        line = kind.open(sends, out, opts, held, poll, events::add, new Listener());
    }

    /** A page for the session to send: text-like blocks, A4 width, at {@code yRes}. */
    private static BilevelPage dutPage(long seed, int yRes) {
        BilevelPage src = TestPages.random(seed, 1728, 200, TestPages.Style.BLOCKS);
        BilevelPage p = new BilevelPage(1728, 200, 204, yRes);
        for (int y = 0; y < 200; y++) p.setRow(y, src.row(y), 0);
        return p;
    }

    /** The longest the tester's own signal may take: a 256-frame block of 256 octets at 2400 bit/s is 220 s. */
    static final long SEND_MS = 300_000;

    /** A page whose coding takes two ECM blocks of 256 frames (64 KiB each), as TSB-85's IMPRESS chart does. */
    private static BilevelPage largePage(int yRes) {
        BilevelPage src = TestPages.random(1, 1728, 300, TestPages.Style.NOISE);
        BilevelPage p = new BilevelPage(1728, 300, 204, yRes);
        for (int y = 0; y < 300; y++) p.setRow(y, src.row(y), 0);
        return p;
    }

    private void drain(String step) {
        until(() -> !line.tester().txBusy(), SEND_MS, step);
    }

    private void until(BooleanSupplier done, long limitMs, String step) {
        long end = line.now() + limitMs;
        while (!done.getAsBoolean()) {
            if (line.now() >= end) {
                throw new Failure(String.format("%s on %s: nothing for %d ms at \"%s\" (session in %s, result %s)", scenario.name(), kind, limitMs,
                        step, line.dut().state(), line.dut().result()));
            }
            line.step();
        }
    }

    private Heard next(String step) {
        return next(step, HEAR_MS);
    }

    private Heard next(String step, long limitMs) {
        until(() -> !heard.isEmpty() || line.dut().done() && !line.tester().txBusy() && heardNothingMore(), limitMs, step);
        if (heard.isEmpty()) {
            throw new Failure(String.format("%s on %s: the session ended (%s) where the procedure wants \"%s\"", scenario.name(), kind,
                    line.dut().result(), step));
        }
        Heard h = heard.poll();
        if (TRACE) System.out.printf("%s %s %6d ms heard %s%n", scenario.name(), kind, line.now(), h);
        return h;
    }

    /** -Dtsb85.trace=true prints what the tester hears, with the time. */
    private static final boolean TRACE = Boolean.getBoolean("tsb85.trace");

    /** After the session has ended, a few more steps let its last signal reach the tester. */
    private int quietSteps;

    private boolean heardNothingMore() {
        return ++quietSteps > 100;
    }

    private void hearSignal(String what, String step) {
        switch (what) {
            case "hangup" -> {
                until(() -> line.dut().done(), 120_000, step);
                return;
            }
            case "tcf" -> expect((last = next(step)) instanceof Tcf, step, "a TCF");
            // A page or a block of 64 KiB takes up to 220 s at 2400 bit/s.
            case "page" -> expect((last = next(step, SEND_MS)) instanceof Page, step, "a page");
            case "block" -> expect((last = next(step, SEND_MS)) instanceof Block, step, "an ECM block");
            default -> throw new IllegalArgumentException(step);
        }
    }

    private Heard last;

    private void expect(boolean ok, String step, String wanted) {
        if (!ok) throw new Failure(String.format("%s on %s: at \"%s\" wanted %s, heard %s", scenario.name(), kind, step, wanted, last));
    }

    private void hearFrames(List<String> expected) {
        Heard h = next(expected.get(0));
        last = h;
        String step = String.join(" / ", expected);
        if (!(h instanceof Frames f)) {
            throw new Failure(String.format("%s on %s: at \"%s\" heard %s", scenario.name(), kind, step, h));
        }
        int at = 0;
        for (String e : expected) {
            String[] w = e.split("\\s+");
            boolean optional = w[1].endsWith("?");
            byte[] want = octets(e);
            boolean prefix = e.strip().endsWith("...");
            int found = -1;
            for (int j = at; j < f.frames().size(); j++) {
                if (matches(f.frames().get(j), want, prefix)) {
                    found = j;
                    break;
                }
            }
            if (found < 0) {
                if (optional) continue;
                throw new Failure(String.format("%s on %s: at \"%s\" heard %s", scenario.name(), kind, step, h));
            }
            for (int j = at; j < found; j++) {
                if (!EXTRA.contains(fcf(f.frames().get(j)))) {
                    throw new Failure(String.format("%s on %s: at \"%s\" heard %s", scenario.name(), kind, step, h));
                }
            }
            at = found + 1;
        }
        if (at != f.frames().size()) throw new Failure(String.format("%s on %s: at \"%s\" heard %s", scenario.name(), kind, step, h));
        for (byte[] frame : f.frames()) {
            if (fcf(frame) == Fcf.DCS) dcs = parseDcs(frame);
        }
    }

    /**
     * Whether a frame heard is the one a step wants. Capability frames (DIS, DTC, DCS) and identities
     * are matched on their FCF only: the procedures were written for another terminal's capabilities.
     * Everything else is matched octet for octet (or on the octets given, before "...").
     */
    private static boolean matches(byte[] got, byte[] want, boolean prefix) {
        if (got.length < 3 || want.length < 3) return false;
        if (got[2] != want[2]) return false;
        Fcf f = fcf(want);
        if (f == Fcf.DIS || f == Fcf.DTC || f == Fcf.DCS || EXTRA.contains(f)) return true;
        if (prefix) return got.length >= want.length && Arrays.equals(Arrays.copyOf(got, want.length), want);
        return Arrays.equals(got, want);
    }

    static Fcf fcf(byte[] frame) {
        return frame.length < 3 ? null : Fcf.of(frame[2]);
    }

    static String describe(byte[] frame) {
        Fcf f = fcf(frame);
        return (f == null ? "?" : f.name()) + " " + HexFormat.ofDelimiter(" ").withUpperCase().formatHex(frame);
    }

    private static Dcs parseDcs(byte[] frame) {
        try {
            return Dcs.parse(Arrays.copyOfRange(frame, 3, frame.length));
        } catch (T30FormatException e) {
            return null;
        }
    }

    private void watchOwnDcs(byte[] frame) {
        if (fcf(frame) == Fcf.DCS) {
            Dcs d = parseDcs(frame);
            if (d != null) dcs = d;
        }
    }

    private static Modem modem(String name) {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "V27/2400" -> Modem.V27_2400;
            case "V27/4800" -> Modem.V27_4800;
            case "V29/7200" -> Modem.V29_7200;
            case "V29/9600" -> Modem.V29_9600;
            case "V17/7200" -> Modem.V17_7200;
            case "V17/9600" -> Modem.V17_9600;
            case "V17/12000" -> Modem.V17_12000;
            case "V17/14400" -> Modem.V17_14400;
            default -> throw new IllegalArgumentException("unknown modem " + name);
        };
    }

    /** {@code tcf MODEM OCTETS [pattern=N]}: zeros, after N octets of alternating bits (0x55) when a pattern is given. */
    private void sendTcf(String[] w, String step) {
        Modem m = modem(w[1]);
        byte[] data = new byte[Integer.parseInt(w[2])];
        for (int i = 3; i < w.length; i++) {
            if (w[i].startsWith("pattern=")) {
                int ones = Math.min(data.length, Integer.parseInt(w[i].substring(8)));
                java.util.Arrays.fill(data, 0, ones, (byte) 0x55);
            }
        }
        line.tester().sendImage(m, true, data, line.now());
        drain(step);
    }

    private BilevelPage image(String name) {
        Resolution r = dcs == null ? Resolution.STANDARD : dcs.resolution();
        long seed = name.hashCode();
        // The error chart stands for ETSI's, whose 19 and 61 damaged rows are 4.9% and 15.1% of it.
        BilevelPage p = name.equals("white") ? new BilevelPage(1728, 1100 * r.yDpi() / 98, 204, r.yDpi())
                : TestPages.random(seed, 1728, (name.equals("error") ? 400 : 300) * r.yDpi() / 98, TestPages.Style.BLOCKS);
        return p;
    }

    private byte[] coded(BilevelPage p) {
        Compression c = dcs == null ? Compression.MH : dcs.compression();
        return T4Encoder.encode(p, switch (c) {
            case MH -> CodecOptions.mh();
            case MR -> CodecOptions.mr(dcs.resolution() == Resolution.STANDARD ? 2 : 4);
            default -> CodecOptions.mmr();
        });
    }

    /**
     * {@code page MODEM IMAGE [bad-rows=R, R, ...]}: a non-ECM page on the image modem; the rows listed
     * (the first after the page's first EOL is 1) have the bit after their EOL inverted, as spandsp's
     * tester damages TSB-85's error chart.
     */
    private void sendPage(String[] w, String step) {
        Modem m = modem(w[1]);
        byte[] data = coded(image(w[2]));
        int at = step.indexOf("bad-rows=");
        if (at >= 0) {
            java.util.Set<Integer> rows = new java.util.HashSet<>();
            for (String r : step.substring(at + 9).split(",")) rows.add(Integer.parseInt(r.strip()));
            corruptRows(data, rows);
        }
        line.tester().sendImage(m, m.family() != Modem.Family.V17, data, line.now());
        drain(step);
    }

    /** Inverts the first bit after each listed row's EOL (eleven zeros, then a one) in MSB-first T.4 data. */
    private static void corruptRows(byte[] data, java.util.Set<Integer> rows) {
        int zeros = 0;
        int row = 0;
        for (int bit = 0; bit < data.length * 8; bit++) {
            int b = (data[bit >> 3] >> (7 - (bit & 7))) & 1;
            if (b == 0) {
                zeros++;
                continue;
            }
            if (zeros >= 11 && rows.contains(++row) && bit + 1 < data.length * 8) {
                data[(bit + 1) >> 3] ^= (byte) (0x80 >>> ((bit + 1) & 7));
            }
            zeros = 0;
        }
    }

    /**
     * {@code block IMAGE size=OCTETS frames=N [bad=I] [block=K]}: an ECM block of N frames on the image
     * modem of the tester's DCS, then RCP. Frame I (counted from the page's first frame) has a bad FCS
     * and is left out: the session sees it missing either way. {@code block=0} (or none) is a page's first block.
     */
    private void sendBlock(String[] w, String step) {
        int size = 256;
        int frames = -1;
        int bad = -1;
        int block = 0;
        for (int i = 2; i < w.length; i++) {
            String[] kv = w[i].split("=", 2);
            switch (kv[0]) {
                case "size" -> size = Integer.parseInt(kv[1]);
                case "frames" -> frames = Integer.parseInt(kv[1]);
                case "bad" -> bad = Integer.parseInt(kv[1]);
                case "block" -> block = Integer.parseInt(kv[1]);
                default -> throw new IllegalArgumentException(step);
            }
        }
        // Block K of a page starts at its frame 256*K, as in spandsp's tester; the page is made from its
        // name, so a block sent again carries the same data.
        if (block == 0 || ecmPage == null) ecmPage = coded(image(w[1]));
        ecmBlockStart = 256 * size * block;
        if (frames < 0) frames = Math.max(1, Math.min(256, (ecmPage.length - ecmBlockStart + size - 1) / size));
        int need = ecmBlockStart + frames * size;
        if (ecmPage.length < need) ecmPage = Arrays.copyOf(ecmPage, need);
        List<byte[]> out = new ArrayList<>();
        // bad counts frames from the page's start, as spandsp's tester's crc_error does.
        int first = ecmBlockStart / size;
        for (int n = 0; n < frames; n++) {
            if (first + n == bad) continue;
            byte[] fif = new byte[1 + size];
            fif[0] = (byte) T30Frame.reverseBits(n);
            System.arraycopy(ecmPage, ecmBlockStart + n * size, fif, 1, size);
            out.add(new T30Frame(Fcf.FCD, false, false, fif).encode());
        }
        byte[] rcp = new T30Frame(Fcf.RCP, false, true, new byte[0]).encode();
        out.add(rcp);
        out.add(rcp);
        out.add(rcp);
        line.tester().sendImageFrames(dcs.modem(), dcs.modem().family() != Modem.Family.V17, out, line.now());
        drain(step);
    }

    private void end(String want, String step) {
        // "OK" while the call is still up is the status so far, as spandsp's tester reads it: no failure
        // yet (MTGX01 ends once the session has answered a late DIS with DCS and TCF).
        if (want.equals("OK") && !line.dut().done()) return;
        until(() -> line.dut().done(), 120_000, step);
        FaxResult got = line.dut().result();
        boolean ok = want.equals("failed") ? got != FaxResult.OK : got == FaxResult.valueOf(want);
        if (!ok) throw new Failure(String.format("%s on %s: the session ended %s, the procedure wants %s", scenario.name(), kind, got, want));
    }

    /** Hears the session's signals as the tester's front end reports them. */
    private final class Listener implements FaxFrontEnd.Receiver {
        private int image;
        private int zeros;
        private boolean tcfNext;

        @Override
        public void txIdle(long now) {}

        @Override
        public void hdlcFrame(byte[] frame, boolean good, long now) {
            if (good && frame.length > 0) burst.add(frame);
        }

        @Override
        public void hdlcEnd(long now) {
            if (burst.isEmpty()) return;
            List<byte[]> frames = new ArrayList<>(burst);
            burst.clear();
            if (frames.stream().anyMatch(f -> fcf(f) == Fcf.FCD || fcf(f) == Fcf.RCP)) {
                heard.add(new Block(frames));
                return;
            }
            for (byte[] f : frames) if (fcf(f) == Fcf.DCS) tcfNext = true;
            heard.add(new Frames(frames));
        }

        @Override
        public void imageData(byte[] chunk, long now) {
            image += chunk.length;
            for (byte b : chunk) if (b == 0) zeros++;
        }

        @Override
        public void imageEnd(long now) {
            // The session sends a TCF right after its DCS; anything else on the image modem is a page.
            heard.add(tcfNext ? new Tcf(zeros) : new Page(image));
            tcfNext = false;
            image = 0;
            zeros = 0;
        }
    }
}
