package dev.faxlan.engine.fax;

import dev.faxlan.engine.t38.IfpCodec;
import dev.faxlan.engine.t38.T38FormatException;
import dev.faxlan.engine.t38.UdptlReceiver;
import dev.faxlan.engine.t38.UdptlSender;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Two sessions joined by a simulated UDPTL path (latency, random loss, redundancy) on a simulated
 * clock: a whole call runs in milliseconds of real time, deterministically for a given seed.
 */
final class FaxCallSimulation {
    record InFlight(long at, long order, boolean toB, byte[] datagram) {}

    final T38Terminal a;
    final T38Terminal b;
    final long latencyMs;
    final double loss;
    final Random random;
    final int version;
    final UdptlSender aTx;
    final UdptlSender bTx;
    final UdptlReceiver aRx = new UdptlReceiver();
    final UdptlReceiver bRx = new UdptlReceiver();
    final PriorityQueue<InFlight> net = new PriorityQueue<>((x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.order, y.order));
    long now;
    long order;
    int sent;
    int dropped;
    /** Every IFP sent, as "time side hex", when a test wants the whole wire (null: not kept). */
    java.util.List<String> wire;

    FaxCallSimulation(T38Terminal a, T38Terminal b, long latencyMs, double loss, int redundancy, int version, long seed) {
        this.a = a;
        this.b = b;
        this.latencyMs = latencyMs;
        this.loss = loss;
        this.random = new Random(seed);
        this.version = version;
        this.aTx = new UdptlSender(redundancy, 1400);
        this.bTx = new UdptlSender(redundancy, 1400);
    }

    /** Page work answered a fixed time after it was asked, on the simulated clock: a worker that takes that long. */
    static final class DelayedWork implements PageWork {
        record Pending(long at, java.util.function.LongConsumer answer) {}

        /** Read after the job ran: a job may change it for its own answer. */
        long delayMs;
        final java.util.ArrayDeque<Pending> pending = new java.util.ArrayDeque<>();
        final List<Long> asked = new java.util.ArrayList<>();

        DelayedWork(long delayMs) {
            this.delayMs = delayMs;
        }

        @Override
        public <T> void submit(java.util.function.Supplier<T> job, Answer<T> then, long now) {
            T result = job.get();
            asked.add(now);
            pending.add(new Pending(now + delayMs, at -> then.accept(result, at)));
        }

        long next() {
            return pending.isEmpty() ? Long.MAX_VALUE : pending.peek().at();
        }
    }

    private final List<DelayedWork> works = new java.util.ArrayList<>();

    /** Gives {@code terminal}'s session page work answered {@code delayMs} after each ask. */
    DelayedWork delayWork(T38Terminal terminal, long delayMs) {
        DelayedWork w = new DelayedWork(delayMs);
        terminal.session().pageWork(w);
        works.add(w);
        return w;
    }

    /** Runs until both sessions are done or {@code limitMs} of simulated time passed; returns the simulated duration. */
    long run(long limitMs) throws T38FormatException {
        while (!(a.done() && b.done())) {
            long next = Math.min(Math.min(a.nextWakeup(), b.nextWakeup()), net.isEmpty() ? Long.MAX_VALUE : net.peek().at());
            for (DelayedWork w : works) next = Math.min(next, w.next());
            if (next == Long.MAX_VALUE || next > limitMs) break;
            now = Math.max(now, next);
            for (DelayedWork w : works) {
                while (w.next() <= now) w.pending.poll().answer().accept(now);
            }
            while (!net.isEmpty() && net.peek().at() <= now) {
                InFlight f = net.poll();
                deliver(f.toB() ? b : a, f.toB() ? bRx : aRx, f.datagram());
            }
            send(a.poll(now), aTx, true);
            send(b.poll(now), bTx, false);
        }
        return now;
    }

    private void send(List<dev.faxlan.engine.t38.Ifp> ifps, UdptlSender tx, boolean toB) {
        for (dev.faxlan.engine.t38.Ifp ifp : ifps) {
            byte[] encoded = IfpCodec.encode(ifp, version);
            if (wire != null) wire.add(now + (toB ? " A " : " B ") + java.util.HexFormat.of().formatHex(encoded));
            byte[] packet = tx.next(encoded);
            sent++;
            if (random.nextDouble() < loss) {
                dropped++;
                continue;
            }
            net.add(new InFlight(now + latencyMs, order++, toB, packet));
        }
    }

    private void deliver(T38Terminal to, UdptlReceiver rx, byte[] datagram) throws T38FormatException {
        for (UdptlReceiver.Arrival arrival : rx.accept(datagram)) {
            if (arrival instanceof UdptlReceiver.Packet p) to.receive(IfpCodec.decode(p.ifp(), version), now);
            else to.lost(Math.max(1, ((UdptlReceiver.Gap) arrival).count()));
        }
    }
}
