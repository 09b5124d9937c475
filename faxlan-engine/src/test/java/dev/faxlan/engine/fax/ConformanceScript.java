package dev.faxlan.engine.fax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.Compression;
import dev.faxlan.engine.t30.Dcs;
import dev.faxlan.engine.t30.Dis;
import dev.faxlan.engine.t30.Fcf;
import dev.faxlan.engine.t30.Identity;
import dev.faxlan.engine.t30.Modem;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.engine.t30.T30Frame;
import dev.faxlan.engine.t38.Ifp;
import dev.faxlan.engine.t4.CodecOptions;
import dev.faxlan.engine.t4.T4Encoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs a T.30 conformance script (in the spirit of spandsp's TSB-85 scripts): a scripted far end,
 * written as data, plays against one of our sessions on a simulated clock. Each line is a step:
 *
 * <pre>
 * session send|receive [pages=N] [resolution=standard|fine|superfine] [codings=MH,MR,MMR] [ecm=true|false]
 * peer send FRAME [FRAME…]     FRAME: NAME, DIS:opts, DCS:opts, CSI:"text", TSI:"text", PPR:n,n…
 * peer tcf | peer page | peer partial-page
 * expect FCF [FCF…]            the next burst of frames our session sends has exactly these FCFs
 * expect DCS:modem=NAME        … and its DCS selects this modem
 * expect tcf | expect page | expect block N     (N = FCD frames in an ECM block)
 * wait MS
 * result NAME [pages=N]        the session's outcome once it is done
 * </pre>
 * DIS/DCS options: comma-separated from v27, v29, v17, fine, superfine, mr, mmr, ecm, notready.
 */
final class ConformanceScript {
    private final String name;
    private final List<String> lines;
    private T38Terminal session;
    private T38FrontEnd peerTx;
    private T38FrontEnd watcher;
    private final ArrayDeque<Object> observed = new ArrayDeque<>();
    private final List<T30Frame> burst = new ArrayList<>();
    private long now;
    private boolean ecm;
    private Dcs peerDcs;

    record TcfSeen() {}

    record PageSeen(int bytes) {}

    ConformanceScript(String name) throws IOException {
        this.name = name;
        try (InputStream in = ConformanceScript.class.getResourceAsStream("conformance/" + name)) {
            if (in == null) throw new IOException("no script " + name);
            this.lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
    }

    void run() throws Exception {
        for (String line : lines) step(line);
    }

    private void step(String line) throws Exception {
        String[] w = line.split("\\s+");
        switch (w[0]) {
            case "session" -> startSession(w);
            case "peer" -> peer(w);
            case "expect" -> expect(line, w);
            case "wait" -> advance(now + Long.parseLong(w[1]));
            case "result" -> {
                advanceUntil(() -> session.done(), 120_000, line);
                assertThat(session.result()).as("%s: %s", name, line).isEqualTo(FaxResult.valueOf(w[1]));
                if (w.length > 2) assertThat(session.pagesTransferred()).as("%s: %s", name, line).isEqualTo(Integer.parseInt(w[2].substring(6)));
            }
            default -> throw new IllegalArgumentException(name + ": unknown step " + line);
        }
    }

    private void startSession(String[] w) {
        int pages = 1;
        Resolution res = Resolution.FINE;
        Set<Compression> codings = EnumSet.of(Compression.MH, Compression.MR);
        for (int i = 2; i < w.length; i++) {
            String[] kv = w[i].split("=", 2);
            switch (kv[0]) {
                case "pages" -> pages = Integer.parseInt(kv[1]);
                case "resolution" -> res = Resolution.valueOf(kv[1].toUpperCase(Locale.ROOT));
                case "codings" -> {
                    codings = EnumSet.noneOf(Compression.class);
                    for (String c : kv[1].split(",")) codings.add(Compression.valueOf(c));
                }
                case "ecm" -> ecm = Boolean.parseBoolean(kv[1]);
                default -> throw new IllegalArgumentException(name + ": unknown session option " + w[i]);
            }
        }
        FaxOptions opts = FaxOptions.defaults("+49 30 1234").withCodings(codings).withEcm(ecm);
        watcher = new T38FrontEnd(new Watcher());
        peerTx = new T38FrontEnd(new Silent());
        sessionSending = w[1].equals("send");
        if (sessionSending) {
            List<BilevelPage> list = new ArrayList<>();
            for (int i = 0; i < pages; i++) list.add(FaxSessionTest.page(res.yDpi(), i));
            session = T38Terminal.send(list, opts, e -> {}, 0);
        } else {
            session = T38Terminal.receive(opts, e -> {}, 0);
        }
    }

    private void peer(String[] w) {
        switch (w[1]) {
            case "send" -> {
                List<byte[]> frames = new ArrayList<>();
                for (int i = 2; i < w.length; i++) {
                    T30Frame f = frame(w[i], i == w.length - 1);
                    frames.add(f.encode());
                }
                peerTx.sendHdlc(frames, now);
            }
            case "tcf" -> peerTx.sendTcf(peerDcs.modem(), now);
            case "page", "partial-page" -> {
                BilevelPage p = FaxSessionTest.page(peerDcs.resolution().yDpi(), 3);
                byte[] coded = T4Encoder.encode(p, CodecOptions.mh());
                byte[] data = w[1].equals("page") ? coded : java.util.Arrays.copyOf(coded, coded.length / 3);
                if (w[1].equals("page")) {
                    peerTx.sendImage(peerDcs.modem(), false, data, now);
                } else {
                    // The far end's carrier just stops: no sig-end, no no-signal.
                    peerTx.sendImage(peerDcs.modem(), false, data, now);
                    peerTx.dropTail(2);
                }
            }
            default -> throw new IllegalArgumentException(name + ": unknown peer action " + w[1]);
        }
        advanceUntil(() -> !peerTx.txBusy(), 120_000, String.join(" ", w));
    }

    private T30Frame frame(String spec, boolean last) {
        String[] nv = spec.split(":", 2);
        Fcf fcf = Fcf.valueOf(nv[0]);
        byte[] fif = new byte[0];
        if (nv.length > 1) {
            String arg = nv[1];
            switch (fcf) {
                case CSI, TSI, SUB -> fif = Identity.encode(arg.replace("\"", ""));
                case DIS -> fif = dis(arg).encode();
                case DCS -> {
                    peerDcs = dcs(arg);
                    fif = peerDcs.encode();
                }
                case PPR -> {
                    fif = new byte[32];
                    for (String n : arg.split(",")) {
                        int i = Integer.parseInt(n);
                        fif[i / 8] |= (byte) (0x80 >>> (i % 8));
                    }
                }
                default -> throw new IllegalArgumentException(name + ": " + fcf + " takes no argument");
            }
        }
        return new T30Frame(fcf, !sessionSends(), last, fif);
    }

    /** The far end sets the X bit when it is the caller, i.e. when our session receives. */
    private boolean sessionSends() {
        return sessionSending;
    }

    private boolean sessionSending = true;

    private static Set<String> opts(String csv) {
        return Set.of(csv.toLowerCase(Locale.ROOT).split(","));
    }

    private static Dis dis(String csv) {
        Set<String> o = opts(csv);
        Set<Modem.Family> modems = EnumSet.noneOf(Modem.Family.class);
        if (o.contains("v27")) modems.add(Modem.Family.V27TER);
        if (o.contains("v29")) modems.add(Modem.Family.V29);
        if (o.contains("v17")) modems.add(Modem.Family.V17);
        if (modems.isEmpty()) modems.add(Modem.Family.V27TER);
        boolean ecm = o.contains("ecm");
        return new Dis(!o.contains("notready"), modems, o.contains("fine"), o.contains("superfine"), o.contains("mr"), ecm && o.contains("mmr"),
                ecm, 0, 1, 0, false, false, false, false);
    }

    private static Dcs dcs(String csv) {
        Set<String> o = opts(csv);
        Modem m = o.contains("v17") ? Modem.V17_14400 : o.contains("v29") ? Modem.V29_9600 : Modem.V27_4800;
        Resolution r = o.contains("superfine") ? Resolution.SUPERFINE : o.contains("fine") ? Resolution.FINE : Resolution.STANDARD;
        return new Dcs(m, r, Compression.MH, false, false, 0, 0, 0, false, false);
    }

    private void expect(String line, String[] w) {
        advanceUntil(() -> !observed.isEmpty(), 120_000, line);
        Object got = observed.poll();
        switch (w[1]) {
            case "tcf" -> assertThat(got).as("%s: %s", name, line).isInstanceOf(TcfSeen.class);
            case "page" -> assertThat(got).as("%s: %s", name, line).isInstanceOf(PageSeen.class);
            case "block" -> {
                assertThat(got).as("%s: %s", name, line).isInstanceOf(List.class);
                @SuppressWarnings("unchecked")
                List<T30Frame> frames = (List<T30Frame>) got;
                long fcd = frames.stream().filter(f -> f.fcf() == Fcf.FCD).count();
                if (w.length > 2) assertThat(fcd).as("%s: %s", name, line).isEqualTo(Long.parseLong(w[2]));
                else assertThat(fcd).as("%s: %s", name, line).isGreaterThanOrEqualTo(2);
                assertThat(frames.get(frames.size() - 1).fcf()).isEqualTo(Fcf.RCP);
            }
            default -> {
                assertThat(got).as("%s: %s, got %s", name, line, got).isInstanceOf(List.class);
                @SuppressWarnings("unchecked")
                List<T30Frame> frames = (List<T30Frame>) got;
                List<String> want = new ArrayList<>();
                String modem = null;
                for (int i = 1; i < w.length; i++) {
                    String[] nv = w[i].split(":", 2);
                    want.add(nv[0]);
                    if (nv.length > 1 && nv[1].startsWith("modem=")) modem = nv[1].substring(6);
                }
                assertThat(frames.stream().map(f -> f.fcf().name()).toList()).as("%s: %s", name, line).isEqualTo(want);
                for (T30Frame f : frames) {
                    if (f.fcf() == Fcf.DCS) {
                        try {
                            peerDcs = Dcs.parse(f.fif());
                        } catch (Exception e) {
                            throw new AssertionError(name + ": our DCS does not parse", e);
                        }
                        if (modem != null) assertThat(peerDcs.modem().name()).as("%s: %s", name, line).isEqualTo(modem);
                    }
                }
            }
        }
    }

    private void advanceUntil(java.util.function.BooleanSupplier cond, long limitMs, String what) {
        long end = now + limitMs;
        while (!cond.getAsBoolean()) {
            long next = Math.min(Math.min(session.nextWakeup(), peerTx.nextTxTime()), end);
            if (next >= end && !cond.getAsBoolean()) {
                if (next == end) {
                    advance(end);
                    if (cond.getAsBoolean()) return;
                }
                throw new AssertionError(name + ": nothing happened for " + limitMs + " ms while waiting for: " + what + " (session state "
                        + session.state() + ", result " + session.result() + ")");
            }
            advance(Math.max(next, now));
        }
    }

    private void advance(long to) {
        now = to;
        for (Ifp ifp : peerTx.poll(now)) session.receive(ifp, now);
        for (Ifp ifp : session.poll(now)) watcher.receive(ifp, now);
    }

    private final class Watcher implements FaxFrontEnd.Receiver {
        private int image;
        private boolean dcsJustSent;

        @Override
        public void txIdle(long t) {}

        @Override
        public void hdlcFrame(byte[] frame, boolean good, long t) {
            try {
                burst.add(T30Frame.decode(frame));
            } catch (Exception e) {
                throw new AssertionError(name + ": our session sent a malformed frame", e);
            }
        }

        @Override
        public void hdlcEnd(long t) {
            if (burst.isEmpty()) return;
            dcsJustSent = burst.stream().anyMatch(f -> f.fcf() == Fcf.DCS);
            observed.add(new ArrayList<>(burst));
            burst.clear();
        }

        @Override
        public void imageData(byte[] chunk, long t) {
            image += chunk.length;
        }

        @Override
        public void imageEnd(long t) {
            // Our session sends TCF right after each DCS; anything else on the image modem is a page.
            observed.add(dcsJustSent ? new TcfSeen() : new PageSeen(image));
            dcsJustSent = false;
            image = 0;
        }
    }

    private static final class Silent implements FaxFrontEnd.Receiver {
        @Override
        public void txIdle(long t) {}

        @Override
        public void hdlcFrame(byte[] frame, boolean good, long t) {}

        @Override
        public void hdlcEnd(long t) {}

        @Override
        public void imageData(byte[] chunk, long t) {}

        @Override
        public void imageEnd(long t) {}
    }
}
