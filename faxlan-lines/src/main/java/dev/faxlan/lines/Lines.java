package dev.faxlan.lines;

import dev.faxlan.protocol.HostPort;
import dev.faxlan.engine.fax.CallScheduler;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.t4.Compression;
import dev.faxlan.lines.sip.SipAccount;
import dev.faxlan.lines.sip.SipEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server's running fax lines: one SIP user agent per line, all calls driven by one
 * {@link CallScheduler}. The loopback line listens on 127.0.0.1 only and calls itself; SIP lines take
 * {@code sip.port} for the first line and the next ports for the others. A loopback line faster than
 * real time ({@link LinesConfig#loopbackSpeed()}) has a scheduler of its own on a scaled clock, so SIP
 * lines' calls keep real time.
 */
public final class Lines implements AutoCloseable {
    public static final Duration RING_TIMEOUT = Duration.ofSeconds(60);
    private final LinesConfig config;
    private final List<CallScheduler> schedulers;
    private final Map<String, Line> lines;

    private Lines(LinesConfig config, List<CallScheduler> schedulers, Map<String, Line> lines) {
        this.config = config;
        this.schedulers = schedulers;
        this.lines = lines;
    }

    /** Starts every configured line; SIP lines begin registering at once. */
    public static Lines start(LinesConfig config, InboundFaxSink sink, String userAgent) throws IOException {
        return start(config, sink, userAgent, RING_TIMEOUT);
    }

    public static Lines start(LinesConfig config, InboundFaxSink sink, String userAgent, Duration ringTimeout) throws IOException {
        CallScheduler scheduler = new CallScheduler("fax-calls", () -> System.nanoTime() / 1_000_000, 1.0);
        List<CallScheduler> schedulers = new ArrayList<>(List.of(scheduler));
        Map<String, Line> started = new LinkedHashMap<>();
        try {
            int nextSipPort = config.sipPort();
            for (LineConfig lc : config.lines()) {
                Line line;
                if (lc.isLoopback()) {
                    CallScheduler loopback = scheduler;
                    if (config.loopbackSpeed() > 1) {
                        loopback = scaled("fax-calls-loopback", config.loopbackSpeed());
                        schedulers.add(loopback);
                    }
                    line = startLoopback(lc, config, sink, loopback, userAgent, ringTimeout);
                } else {
                    int port = nextSipPort == 0 ? 0 : nextSipPort++;
                    line = startSip(lc, config, port, sink, scheduler, userAgent, ringTimeout);
                }
                started.put(lc.name(), line);
            }
        } catch (IOException | RuntimeException e) {
            started.values().forEach(Line::close);
            schedulers.forEach(CallScheduler::close);
            throw e;
        }
        return new Lines(config, List.copyOf(schedulers), started);
    }

    /** A scheduler whose clock runs {@code speed} times real time, from 0 at its start. */
    private static CallScheduler scaled(String name, int speed) {
        long t0 = System.nanoTime();
        return new CallScheduler(name, () -> (System.nanoTime() - t0) * speed / 1_000_000, speed);
    }

    /**
     * The loopback line: a user agent that answers and one that calls it. The answering one takes
     * INVITEs only from the calling one's address and port; the calling one from nobody.
     */
    private static Line startLoopback(LineConfig lc, LinesConfig all, InboundFaxSink sink, CallScheduler scheduler, String userAgent, Duration ring)
            throws IOException {
        int port = all.loopbackPort();
        Line[] self = new Line[1];
        SipEndpoint caller = SipEndpoint.start(new SipEndpoint.Settings(lc.name() + "-out", "127.0.0.1", 0, "udp", null, ring, userAgent,
                SipEndpoint.Trust.NONE, all.mediaPorts(), lc.policy()), new SipAccount(lc.number(), lc.number(), "", "127.0.0.1", false, 300),
                (from, to) -> new SipEndpoint.Decision.Reject(403, "the loopback line's calling side takes no calls"), sink, scheduler);
        SipEndpoint ep;
        try {
            InetSocketAddress itself = new InetSocketAddress(caller.host(), caller.port());
            ep = SipEndpoint.start(new SipEndpoint.Settings(lc.name(), "127.0.0.1", port, "udp", null, ring, userAgent, SipEndpoint.Trust.socket(itself), all.mediaPorts(), lc.policy(), lc.tuning()),
                    new SipAccount(lc.number(), lc.number(), "", "127.0.0.1", false, 300), (from, to) -> decide(self[0], to), sink, scheduler);
        } catch (IOException | RuntimeException e) {
            caller.close();
            throw e;
        }
        self[0] = new Line(lc, ep, caller, "127.0.0.1:" + ep.port());
        return self[0];
    }

    private static Line startSip(LineConfig lc, LinesConfig all, int port, InboundFaxSink sink, CallScheduler scheduler, String userAgent,
            Duration ring) throws IOException {
        HostPort via = lc.outboundProxy().orElse(lc.registrar());
        InetSocketAddress proxy = new InetSocketAddress(via.host(), via.port());
        SipAccount account = new SipAccount(lc.user(), lc.authUser(), lc.password().orElse(""), lc.domain(), lc.register(), lc.registerExpirySeconds(),
                lc.realm().orElse(null));
        // The registrar and the outbound proxy are trusted (at whatever addresses they resolve to), and the configured networks.
        List<String> hosts = new ArrayList<>();
        hosts.add(lc.registrar().host());
        lc.outboundProxy().ifPresent(p -> hosts.add(p.host()));
        SipEndpoint.Trust trust = new SipEndpoint.Trust(hosts, lc.trusted(), List.of(), lc.mediaAnyAddress());
        Line[] self = new Line[1];
        SipEndpoint ep = SipEndpoint.start(new SipEndpoint.Settings(lc.name(), all.sipBind().getHostAddress(), port,
                lc.transport().name().toLowerCase(java.util.Locale.ROOT), proxy, ring, userAgent, trust, all.mediaPorts(), lc.policy(), lc.tuning()), account, (from, to) -> decide(self[0], to), sink,
                scheduler);
        self[0] = new Line(lc, ep, ep, lc.domain());
        return self[0];
    }

    /** Which inbound calls a line answers: its numbers, while it has a free channel. */
    private static SipEndpoint.Decision decide(Line line, String called) {
        if (line == null) return new SipEndpoint.Decision.Reject(503, "starting");
        LineConfig c = line.config();
        boolean ours = c.isLoopback() ? c.number().equals(called) || c.dids().contains(called) : c.receives(called);
        if (!ours) return new SipEndpoint.Decision.Reject(404, "no fax number " + called + " on line " + line.name());
        if (line.freeInboundChannels() == 0) return new SipEndpoint.Decision.Reject(486, "all channels busy");
        return new SipEndpoint.Decision.Accept(receiveOptions(line.number()));
    }

    /** What we offer as a receiver: everything the engine does, ECM and MMR included, so senders can choose the fastest. */
    public static FaxOptions receiveOptions(String ident) {
        return FaxOptions.defaults(ident).withEcm(true).withCodings(EnumSet.of(Compression.MH, Compression.MR, Compression.MMR));
    }

    public LinesConfig config() {
        return config;
    }

    public List<Line> all() {
        return new ArrayList<>(lines.values());
    }

    public Optional<Line> line(String name) {
        return Optional.ofNullable(lines.get(name));
    }

    public Optional<Line> loopback() {
        return config.loopback().map(l -> lines.get(l.name()));
    }

    /**
     * The line a fax to {@code number} goes out on (see {@link LinesConfig#lineFor}).
     *
     * @throws IllegalArgumentException when the number cannot be normalised
     */
    public Optional<Line> lineFor(String number) {
        return config.lineFor(number).map(l -> lines.get(l.name()));
    }

    @Override
    public void close() {
        lines.values().forEach(Line::close);
        schedulers.forEach(CallScheduler::close);
    }
}
