package dev.faxlan.bench.engine;

import dev.faxlan.engine.fax.CallScheduler;
import dev.faxlan.engine.fax.FaxEvent;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.fax.T38Terminal;
import dev.faxlan.engine.fax.T38Call;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.Compression;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Issue 5 benchmark (a): N concurrent faxlan→faxlan T.38 calls over UDP on loopback in one JVM, in
 * real time. Senders run on one {@link CallScheduler}, receivers on another (each with a lane per
 * core), all sockets are read by one selector thread. A call "violates its timers" when it does not
 * end OK; pacing quality is reported as the lateness of due IFPs (p50, p99, max).
 *
 * <p>Usage: {@code ConcurrentCalls --calls 50,100,200 [--pages 1] [--ecm true] [--speed 1] [--lanes CPUs]}
 */
public final class ConcurrentCalls {
    public static void main(String[] args) throws Exception {
        String calls = "50,100,200";
        int pages = 1;
        boolean ecm = true;
        double speed = 1;
        int lanes = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--calls" -> calls = args[i + 1];
                case "--pages" -> pages = Integer.parseInt(args[i + 1]);
                case "--ecm" -> ecm = Boolean.parseBoolean(args[i + 1]);
                case "--speed" -> speed = Double.parseDouble(args[i + 1]);
                case "--lanes" -> lanes = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf(Locale.ROOT, "# concurrent faxlan->faxlan T.38 calls on loopback: %d page(s) fine, ecm %s, clock speed %.0fx, %d CPUs, %d lane(s) per scheduler%n",
                pages, ecm, speed, Runtime.getRuntime().availableProcessors(), lanes);
        System.out.println("# JVM: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        System.out.println("calls  ok  wall_s  p50_late_ms  p99_late_ms  max_late_ms  cpu_s  gc_pauses  gc_pause_s  load_1m  failures");
        for (String n : calls.split(",")) run(Integer.parseInt(n.strip()), pages, ecm, speed, lanes);
    }

    static void run(int n, int pageCount, boolean ecm, double speed, int lanes) throws Exception {
        long t0 = System.nanoTime();
        LongSupplier clock = () -> (long) ((System.nanoTime() - t0) / 1_000_000.0 * speed);
        long cpu0 = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime();
        long[] gc0 = gcPauses();
        List<BilevelPage> pages = new ArrayList<>();
        for (int i = 0; i < pageCount; i++) pages.add(letter(i));
        FaxOptions opts = FaxOptions.defaults("+1 555 0100").withCodings(EnumSet.allOf(Compression.class)).withEcm(ecm);
        CountDownLatch done = new CountDownLatch(2 * n);
        AtomicInteger ok = new AtomicInteger();
        ConcurrentHashMap<FaxResult, AtomicInteger> failures = new ConcurrentHashMap<>();
        ConcurrentHashMap<DatagramChannel, T38Call> byChannel = new ConcurrentHashMap<>();
        ConcurrentHashMap<DatagramChannel, CallScheduler> schedulerOf = new ConcurrentHashMap<>();
        Selector selector = Selector.open();
        List<DatagramChannel> channels = new ArrayList<>();
        try (CallScheduler senders = new CallScheduler("senders", clock, speed, lanes);
                CallScheduler receivers = new CallScheduler("receivers", clock, speed, lanes)) {
            List<Runnable> starts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                DatagramChannel a = open(selector, channels);
                DatagramChannel b = open(selector, channels);
                InetSocketAddress aAddr = (InetSocketAddress) a.getLocalAddress();
                InetSocketAddress bAddr = (InetSocketAddress) b.getLocalAddress();
                java.util.function.Consumer<FaxEvent> onEnd = e -> {
                    if (e instanceof FaxEvent.Completed c) {
                        if (c.result() == FaxResult.OK) ok.incrementAndGet();
                        else failures.computeIfAbsent(c.result(), r -> new AtomicInteger()).incrementAndGet();
                        done.countDown();
                    }
                };
                schedulerOf.put(a, senders);
                schedulerOf.put(b, receivers);
                // Each call begins (its first signal falls due) when it is handed to its scheduler, as a
                // server's call does; not when this loop set up its sockets, seconds earlier at 1000 calls.
                starts.add(() -> {
                    T38Terminal tx = T38Terminal.send(pages, opts, onEnd, clock.getAsLong());
                    T38Terminal rx = T38Terminal.receive(opts, onEnd, clock.getAsLong());
                    T38Call callA = new T38Call(tx, d -> send(a, d, bAddr), 2, 3, 400);
                    T38Call callB = new T38Call(rx, d -> send(b, d, aAddr), 2, 3, 400);
                    byChannel.put(a, callA);
                    byChannel.put(b, callB);
                    senders.add(callA);
                    receivers.add(callB);
                });
            }
            Thread reader = new Thread(() -> readLoop(selector, byChannel, schedulerOf), "udp-selector");
            reader.setDaemon(true);
            reader.start();
            starts.forEach(Runnable::run);
            boolean finished = done.await((long) (600_000 / speed), TimeUnit.MILLISECONDS);
            double wall = (System.nanoTime() - t0) / 1e9;
            long cpu = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime() - cpu0;
            long[] gc = gcPauses();
            long p50 = Math.max(senders.latenessPercentile(50), receivers.latenessPercentile(50));
            long p99 = Math.max(senders.latenessPercentile(99), receivers.latenessPercentile(99));
            long max = Math.max(senders.lateMaxMs(), receivers.lateMaxMs());
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            // Both ends of a call report; a call is OK when both ended OK.
            System.out.printf(Locale.ROOT, "%5d  %s  %6.1f  %11d  %11d  %11d  %5.1f  %9d  %10.2f  %7.1f  %s%n", n,
                    (ok.get() / 2) + "/" + n + (finished ? "" : " (timed out)"), wall, p50, p99, max, cpu / 1e9, gc[0] - gc0[0], (gc[1] - gc0[1]) / 1e3, load,
                    failures.isEmpty() ? "-" : new java.util.TreeMap<>(failures));
            reader.interrupt();
        } finally {
            selector.close();
            for (DatagramChannel c : channels) c.close();
        }
    }

    /**
     * Collections that stopped the application so far, and their milliseconds: the collectors' pause
     * counters where the collector keeps them apart from its concurrent cycles (Shenandoah, ZGC),
     * else every collection (Parallel and G1 collect in pauses).
     */
    static long[] gcPauses() {
        List<java.lang.management.GarbageCollectorMXBean> beans = ManagementFactory.getGarbageCollectorMXBeans();
        boolean separate = beans.stream().anyMatch(b -> b.getName().endsWith("Pauses"));
        long count = 0;
        long ms = 0;
        for (java.lang.management.GarbageCollectorMXBean b : beans) {
            if (separate && !b.getName().endsWith("Pauses")) continue;
            count += Math.max(0, b.getCollectionCount());
            ms += Math.max(0, b.getCollectionTime());
        }
        return new long[] {count, ms};
    }

    static DatagramChannel open(Selector selector, List<DatagramChannel> all) throws IOException {
        DatagramChannel c = DatagramChannel.open();
        c.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        c.configureBlocking(false);
        c.register(selector, SelectionKey.OP_READ);
        all.add(c);
        return c;
    }

    static void send(DatagramChannel c, byte[] d, InetSocketAddress to) {
        try {
            c.send(ByteBuffer.wrap(d), to);
        } catch (IOException e) {
            // UDP: a failed send is a lost packet
        }
    }

    static void readLoop(Selector selector, java.util.Map<DatagramChannel, T38Call> calls, java.util.Map<DatagramChannel, CallScheduler> schedulers) {
        ByteBuffer buf = ByteBuffer.allocate(2048);
        while (!Thread.currentThread().isInterrupted() && selector.isOpen()) {
            try {
                selector.select(100);
                for (SelectionKey k : selector.selectedKeys()) {
                    DatagramChannel c = (DatagramChannel) k.channel();
                    while (true) {
                        buf.clear();
                        if (c.receive(buf) == null) break;
                        buf.flip();
                        byte[] d = new byte[buf.remaining()];
                        buf.get(d);
                        schedulers.get(c).deliver(calls.get(c), d);
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                return;
            }
        }
    }

    /** A letter-like fine page: a header band and lines of small glyph blocks (deterministic). */
    static BilevelPage letter(long seed) {
        BilevelPage p = new BilevelPage(1728, 2200, 204, 196);
        Random r = new Random(seed);
        for (int y = 100; y < 160; y++) for (int x = 100; x < 1628; x++) p.setPixel(x, y, true);
        for (int line = 0; line < 60; line++) {
            int y0 = 250 + line * 32;
            for (int x = 100; x < 1600; x += 14) {
                if (r.nextInt(6) == 0) continue;
                int h = 10 + r.nextInt(8);
                for (int y = y0; y < y0 + h; y++) for (int dx = 0; dx < 9; dx++) if (dx != 4 || y % 5 != 0) p.setPixel(x + dx, y, true);
            }
        }
        return p;
    }
}
