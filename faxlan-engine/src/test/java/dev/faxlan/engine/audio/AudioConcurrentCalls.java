package dev.faxlan.engine.audio;

import dev.faxlan.engine.fax.FaxEvent;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.fax.FaxSessionObserver;
import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t30.Modem;
import dev.faxlan.engine.t4.Compression;
import dev.faxlan.engine.testsupport.TestPages;
import dev.faxlan.modem.g711.G711;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Benchmark: how many concurrent faxlan-to-faxlan audio calls this machine carries in real time. Each
 * call is two {@link AudioCall}s (a sender and a receiver, real T.30 sessions on the real modems)
 * joined by in-memory G.711 pipes: every 20 ms each end hears the frame the other sent and sends one.
 * Frames are paced on the wall clock as an RTP line gives them: frame {@code k} of a call is released
 * (its input has arrived) at {@code start + 20k} ms and is due one frame later, when the line must
 * carry the answer; a frame finished after its due time is an underrun. Calls are served by a small
 * fixed set of lanes (threads) taking the earliest released frame from one queue ({@code --share
 * false}: each lane its own calls); no thread per call. Both ends of every call run in this one process, so N calls are 2N terminals.
 *
 * <p>Calls arrive at random moments over {@code --arrival-ms} (so their frames fall at every phase of
 * the 20 ms, as independent lines do), each sends one fine A4-long page of {@link TestPages} ({@code RUNS}: about
 * 30 s of call at 14400) at {@code --modem} (default V.17 14400). Before the ramp, a few calls run unpaced so that
 * the JIT has compiled the hot paths.
 *
 * <p>Usage: {@code AudioConcurrentCalls [--calls 25,50,100,150] [--lanes 2] [--share true] [--ecm true] [--law alaw]
 * [--arrival-ms 5000] [--rows 2200] [--style RUNS] [--modem V17_14400] [--warmup 6]}
 */
public final class AudioConcurrentCalls {
    static final long FRAME_NS = 20_000_000L;

    public static void main(String[] args) {
        String calls = "25,50,100,150";
        int lanes = 2;
        boolean ecm = true;
        G711 law = G711.ALAW;
        long arrivalMs = 5000;
        int rows = 2200;
        Modem modem = Modem.V17_14400;
        int warmup = 6;
        boolean share = true;
        TestPages.Style style = TestPages.Style.RUNS;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--calls" -> calls = v;
                case "--lanes" -> lanes = Integer.parseInt(v);
                case "--share" -> share = Boolean.parseBoolean(v);
                case "--ecm" -> ecm = Boolean.parseBoolean(v);
                case "--law" -> law = G711.valueOf(v.toUpperCase(Locale.ROOT));
                case "--arrival-ms" -> arrivalMs = Long.parseLong(v);
                case "--rows" -> rows = Integer.parseInt(v);
                case "--modem" -> modem = Modem.valueOf(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--style" -> style = TestPages.Style.valueOf(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Setup setup = new Setup(TestPages.random(1, 1728, rows, style), modem, ecm, law);
        System.out.printf(Locale.ROOT, "# concurrent faxlan<->faxlan audio calls (both ends in this JVM, G.711 %s): 1 fine page 1728x%d (TestPages %s), %s, ECM %s; "
                + "%d lane(s) %s, %d CPUs; calls arrive over %d ms; frame k released at start+20k ms, due 20 ms later%n",
                law, rows, style, modem, ecm, lanes, share ? "sharing one queue" : "each with its own calls", Runtime.getRuntime().availableProcessors(), arrivalMs);
        System.out.println("# JVM: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        long w0 = System.nanoTime();
        for (int i = 0; i < warmup; i++) {
            Call c = setup.call(i);
            while (!c.done()) c.tick();
            if (!c.ok()) System.out.println("# warm-up call " + i + " ended " + c.senderResult + "/" + c.receiverResult);
            if (i == 0) System.out.printf(Locale.ROOT, "# one call: %.1f s of call time at %s%n", c.frames * 0.02, c.modem);
        }
        System.out.printf(Locale.ROOT, "# warm-up: %d calls unpaced in %.1f s%n", warmup, (System.nanoTime() - w0) / 1e9);
        System.out.println("calls  peak  ok  underruns  frames  p99_ms  max_ms  max_frame_ms  cpu_per_call_%core  process_cpu_s  wall_s  gc_pauses  load_1m");
        int best = 0;
        for (String n : calls.split(",")) {
            int count = Integer.parseInt(n.strip());
            Result r = run(setup, count, lanes, share, arrivalMs);
            System.out.println(r.line());
            if (r.underruns == 0 && r.ok == count && count > best) best = count;
        }
        System.out.println("largest count with every call OK and zero underruns: " + best);
    }

    /** What every call sends, and how. */
    record Setup(BilevelPage page, Modem modem, boolean ecm, G711 law) {
        Call call(long seed) {
            FaxOptions send = FaxOptions.defaults("+1 555 0100").withEcm(ecm).withFastestModem(modem)
                    .withCodings(EnumSet.allOf(Compression.class));
            FaxOptions receive = FaxOptions.defaults("+1 555 0199").withEcm(ecm).withFastestModem(modem)
                    .withCodings(EnumSet.allOf(Compression.class));
            return new Call(this, send, receive);
        }
    }

    /** One call: two terminals, each hearing what the other sent in the frame before. */
    static final class Call {
        final AudioCall sender;
        final AudioCall receiver;
        final G711 law;
        FaxResult senderResult;
        FaxResult receiverResult;
        Modem modem;
        int pagesReceived;
        byte[] toSender;
        byte[] toReceiver;
        long frames;
        long releaseNs;
        long startNs;
        long endNs;

        Call(Setup setup, FaxOptions send, FaxOptions receive) {
            this.law = setup.law();
            AudioTerminal tx = AudioTerminal.send(OutgoingPages.of(List.of(setup.page())), send, e -> {
                if (e instanceof FaxEvent.Completed c) senderResult = c.result();
            }, FaxSessionObserver.NONE, ImageModems.faxlan());
            AudioTerminal rx = AudioTerminal.receive(receive, e -> {
                if (e instanceof FaxEvent.Completed c) receiverResult = c.result();
                if (e instanceof FaxEvent.Negotiated n) modem = n.dcs().modem();
                if (e instanceof FaxEvent.Page p && p.received() != null && p.received().page().equals(setup.page())) pagesReceived++;
            }, FaxSessionObserver.NONE, ImageModems.faxlan());
            sender = new AudioCall(tx, law);
            receiver = new AudioCall(rx, law);
            toSender = silence(law);
            toReceiver = silence(law);
        }

        /** One 20 ms frame at both ends. */
        void tick() {
            byte[] fromSender = sender.frame(toSender);
            byte[] fromReceiver = receiver.frame(toReceiver);
            toSender = fromReceiver;
            toReceiver = fromSender;
            frames++;
        }

        boolean done() {
            // Ten minutes of call time is far beyond a one-page call: a stuck call ends as a failure.
            return (sender.done() && receiver.done()) || frames >= 30_000;
        }

        boolean ok() {
            return senderResult == FaxResult.OK && receiverResult == FaxResult.OK && pagesReceived == 1;
        }

        private static byte[] silence(G711 law) {
            byte[] s = new byte[AudioTerminal.BLOCK];
            Arrays.fill(s, law.encode(0));
            return s;
        }
    }

    /**
     * Calls waiting for their next frame, earliest release first. Lanes that share one take whichever
     * call is due next, so a lane the machine keeps off the CPU holds up only the frame in its hands;
     * a call is in the queue at most once, so no two lanes ever run the same call.
     */
    static final class DueCalls {
        private final PriorityQueue<Call> queue = new PriorityQueue<>((a, b) -> Long.compare(a.releaseNs, b.releaseNs));
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private int running;

        void add(Call c) {
            lock.lock();
            try {
                queue.add(c);
                running++;
            } finally {
                lock.unlock();
            }
        }

        /** The next call once its frame is released; null when every call is done. */
        Call take() throws InterruptedException {
            lock.lock();
            try {
                while (true) {
                    Call c = queue.peek();
                    if (c == null) {
                        if (running == 0) return null;
                        changed.await();
                        continue;
                    }
                    long wait = c.releaseNs - System.nanoTime();
                    if (wait <= 0) return queue.poll();
                    changed.awaitNanos(wait);
                }
            } finally {
                lock.unlock();
            }
        }

        /** A call back from its frame: queued for its next, or out when done. */
        void back(Call c, boolean done) {
            lock.lock();
            try {
                if (done) running--;
                else queue.add(c);
                if (done || queue.peek() == c) changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** One thread serving frames of its calls at their release times, earliest first. */
    static final class Lane implements Runnable {
        final DueCalls due;
        /** Frames by how long after release they were finished, in ms (last bucket: 1000 ms or more). */
        final long[] finishedAfterMs = new long[1001];
        long underruns;
        long frames;
        long cpuNs;
        long maxNs;
        /** The longest one frame of one call took (both ends), from its start to its end. */
        long maxFrameNs;

        Lane(DueCalls due) {
            this.due = due;
        }

        @Override
        public void run() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu0 = threads.getCurrentThreadCpuTime();
            try {
                for (Call c = due.take(); c != null; c = due.take()) {
                    long now = System.nanoTime();
                    if (c.frames == 0) c.startNs = now;
                    c.tick();
                    long end = System.nanoTime();
                    maxFrameNs = Math.max(maxFrameNs, end - now);
                    long after = end - c.releaseNs;
                    frames++;
                    maxNs = Math.max(maxNs, after);
                    finishedAfterMs[(int) Math.min(1000, after / 1_000_000)]++;
                    if (after > FRAME_NS) underruns++;
                    c.releaseNs += FRAME_NS;
                    boolean done = c.done();
                    if (done) c.endNs = end;
                    due.back(c, done);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            cpuNs = threads.getCurrentThreadCpuTime() - cpu0;
        }
    }

    record Result(int calls, int peak, int ok, long underruns, long frames, double p99Ms, double maxMs, double maxFrameMs, double cpuPerCallPct,
            double processCpuS, double wallS, long gcPauses, double load, String failures) {
        String line() {
            return String.format(Locale.ROOT, "%5d  %4d  %s  %9d  %6d  %6.1f  %6.1f  %12.1f  %17.2f  %13.1f  %6.1f  %9d  %7.1f%s", calls, peak, ok + "/" + calls,
                    underruns, frames, p99Ms, maxMs, maxFrameMs, cpuPerCallPct, processCpuS, wallS, gcPauses, load, failures.isEmpty() ? "" : "  " + failures);
        }
    }

    static Result run(Setup setup, int n, int laneCount, boolean share, long arrivalMs) {
        Random random = new Random(n);
        List<Call> calls = new ArrayList<>();
        List<Lane> lanes = new ArrayList<>();
        DueCalls shared = new DueCalls();
        for (int i = 0; i < laneCount; i++) lanes.add(new Lane(share ? shared : new DueCalls()));
        // A second to set the calls up (two sessions each) before the first is due.
        long base = System.nanoTime() + 1_000_000_000L;
        for (int i = 0; i < n; i++) {
            Call c = setup.call(i);
            c.releaseNs = base + (long) (random.nextDouble() * arrivalMs * 1_000_000L);
            calls.add(c);
            lanes.get(i % laneCount).due.add(c);
        }
        com.sun.management.OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
        long cpu0 = os.getProcessCpuTime();
        long gc0 = gcPauses();
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < lanes.size(); i++) {
            Thread t = new Thread(lanes.get(i), "audio-lane-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while " + n + " calls ran", e);
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double processCpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        long underruns = 0;
        long frames = 0;
        long cpu = 0;
        long max = 0;
        long maxFrame = 0;
        long[] hist = new long[1001];
        for (Lane l : lanes) {
            underruns += l.underruns;
            frames += l.frames;
            cpu += l.cpuNs;
            max = Math.max(max, l.maxNs);
            maxFrame = Math.max(maxFrame, l.maxFrameNs);
            for (int i = 0; i < hist.length; i++) hist[i] += l.finishedAfterMs[i];
        }
        int ok = 0;
        java.util.TreeMap<String, Integer> failures = new java.util.TreeMap<>();
        double callSeconds = 0;
        for (Call c : calls) {
            callSeconds += c.frames * 0.02;
            if (c.ok() && c.modem == setup.modem()) ok++;
            else failures.merge(c.senderResult + "/" + c.receiverResult + "@" + c.modem + (c.pagesReceived == 1 ? "" : ",pages=" + c.pagesReceived), 1, Integer::sum);
        }
        return new Result(n, peak(calls), ok, underruns, frames, percentile(hist, frames, 0.99), max / 1e6, maxFrame / 1e6,
                100.0 * cpu / 1e9 / callSeconds, processCpu, wall, gcPauses() - gc0, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                failures.isEmpty() ? "" : failures.toString());
    }

    /** The most calls that were running at one moment. */
    static int peak(List<Call> calls) {
        List<long[]> edges = new ArrayList<>();
        for (Call c : calls) {
            edges.add(new long[] {c.startNs, 1});
            edges.add(new long[] {c.endNs, -1});
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int now = 0;
        int peak = 0;
        for (long[] e : edges) {
            now += (int) e[1];
            peak = Math.max(peak, now);
        }
        return peak;
    }

    static double percentile(long[] hist, long total, double p) {
        long seen = 0;
        for (int i = 0; i < hist.length; i++) {
            seen += hist[i];
            if (seen >= p * total) return i + 1;
        }
        return hist.length;
    }

    /** Collections that stopped the application (pause counters where the collector keeps them apart). */
    static long gcPauses() {
        List<GarbageCollectorMXBean> beans = ManagementFactory.getGarbageCollectorMXBeans();
        boolean separate = beans.stream().anyMatch(b -> b.getName().endsWith("Pauses"));
        long count = 0;
        for (GarbageCollectorMXBean b : beans) {
            if (separate && !b.getName().endsWith("Pauses")) continue;
            count += Math.max(0, b.getCollectionCount());
        }
        return count;
    }
}
