package dev.faxlan.lines.sip;

import dev.faxlan.protocol.IpNetwork;
import dev.faxlan.engine.fax.CallScheduler;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.lines.CallResult;
import dev.faxlan.lines.InboundFaxSink;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.DatagramSocket;
import dev.faxlan.lines.MediaPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Message;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One SIP user agent on one address and port (JAIN-SIP reference implementation): registers its
 * account, places fax calls offering T.38 and answers fax calls, switching audio calls to T.38. The
 * fax itself runs in the engine on a shared {@link CallScheduler}; this class only signals and moves
 * UDPTL datagrams.
 *
 * <p>Requests that start something (an INVITE, or any request outside our calls) are taken only from
 * trusted sources ({@link Trust}): the registrar and proxy, configured networks. Others get a 403
 * sent once, statelessly (no 100 Trying, no retransmissions) and never larger than the request; each
 * source is logged at most once a minute. What they send that the stack cannot parse gets no answer
 * at all ({@link TrustAwareMessageParser}). A call's UDPTL goes only to the address its peer signals
 * from, unless the line allows any address (see {@link SipCall}).
 */
public final class SipEndpoint implements SipListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SipEndpoint.class);
    private static final AtomicInteger STACKS = new AtomicInteger();
    static final String ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE";

    /**
     * @param name for logs and thread names
     * @param bind the address SIP and media sockets use; 0.0.0.0 picks the one that routes to the registrar
     * @param port SIP port (0: any free port)
     * @param transport "udp" or "tcp"
     * @param registrar the proxy/registrar all requests go through, or null to send to the dialled host directly
     * @param ringTimeout how long an outbound call may ring before it is cancelled as not answered
     * @param userAgent User-Agent header value
     * @param trust who besides the registrar may call, and where media may go
     * @param mediaPorts the UDP ports call media binds in ({@code sip.media-ports}); null for the default range
     * @param policy T.38 or G.711 audio over RTP ({@code line.<name>.policy}); null for T.38
     * @param tuning how calls are tuned to the trunk (indicator repeats, redundancy, datagram sizes, BYE grace); null for the defaults
     */
    public record Settings(String name, String bind, int port, String transport, InetSocketAddress registrar, Duration ringTimeout, String userAgent,
            Trust trust, MediaPorts mediaPorts, MediaPolicy policy, CallTuning tuning) {
        public Settings {
            if (trust == null) trust = Trust.NONE;
            if (mediaPorts == null) mediaPorts = MediaPorts.defaults();
            if (policy == null) policy = MediaPolicy.T38;
            if (tuning == null) tuning = CallTuning.DEFAULTS;
        }

        /** Calls tuned as {@link CallTuning#DEFAULTS}. */
        public Settings(String name, String bind, int port, String transport, InetSocketAddress registrar, Duration ringTimeout, String userAgent,
                Trust trust, MediaPorts mediaPorts, MediaPolicy policy) {
            this(name, bind, port, transport, registrar, ringTimeout, userAgent, trust, mediaPorts, policy, null);
        }

        /** T.38 calls tuned so. */
        public Settings(String name, String bind, int port, String transport, InetSocketAddress registrar, Duration ringTimeout, String userAgent,
                Trust trust, MediaPorts mediaPorts, CallTuning tuning) {
            this(name, bind, port, transport, registrar, ringTimeout, userAgent, trust, mediaPorts, null, tuning);
        }

        /** T.38 calls tuned as {@link CallTuning#DEFAULTS}. */
        public Settings(String name, String bind, int port, String transport, InetSocketAddress registrar, Duration ringTimeout, String userAgent,
                Trust trust, MediaPorts mediaPorts) {
            this(name, bind, port, transport, registrar, ringTimeout, userAgent, trust, mediaPorts, null, null);
        }

        /** Media in the default range ({@link MediaPorts#defaults()}). */
        public Settings(String name, String bind, int port, String transport, InetSocketAddress registrar, Duration ringTimeout, String userAgent,
                Trust trust) {
            this(name, bind, port, transport, registrar, ringTimeout, userAgent, trust, null, null, null);
        }
    }

    /**
     * Who may start calls on this user agent besides its registrar (whose addresses are always
     * trusted), and where a call's media may go.
     *
     * @param hosts names or addresses trusted at any port, re-resolved every minute: the trunk's
     *     registrar and outbound proxy
     * @param networks trusted networks ({@code line.<name>.trusted})
     * @param sockets single address and port pairs trusted (the loopback line's own calling side)
     * @param mediaAnyAddress whether a call's UDPTL may go to an SDP address other than the
     *     peer's signalling address (an SBC with a separate media relay)
     */
    public record Trust(List<String> hosts, List<IpNetwork> networks, List<InetSocketAddress> sockets, boolean mediaAnyAddress) {
        /** Nobody but the registrar; media only to the signalling address. */
        public static final Trust NONE = new Trust(List.of(), List.of(), List.of(), false);

        public Trust {
            hosts = List.copyOf(hosts);
            networks = List.copyOf(networks);
            sockets = List.copyOf(sockets);
        }

        /** Networks or addresses as in {@code line.<name>.trusted}, e.g. {@code "127.0.0.1"} or {@code "192.0.2.0/24"}. */
        public static Trust networks(String... networks) {
            return new Trust(List.of(), java.util.Arrays.stream(networks).map(IpNetwork::parse).toList(), List.of(), false);
        }

        /** Only this one address and port. */
        public static Trust socket(InetSocketAddress only) {
            return new Trust(List.of(), List.of(), List.of(only), false);
        }
    }

    /** What the owner decides about an inbound call before it is answered. */
    public sealed interface Decision {
        /** Answer and receive with these options (our CSI, our SID check is the sink's). */
        record Accept(FaxOptions options) implements Decision {}

        /** Refuse with a SIP status (404 unknown number, 486 all channels busy, 603 declined…). */
        record Reject(int status, String reason) implements Decision {}
    }

    /** The owner's policy for inbound calls: which numbers this endpoint receives and with what identity. */
    @FunctionalInterface
    public interface InboundPolicy {
        Decision decide(String callerNumber, String calledNumber);
    }

    final Settings settings;
    final SipAccount account;
    final InetAddress address;
    final String host;
    final SipStack stack;
    final SipProvider provider;
    final HeaderFactory headers;
    final AddressFactory addresses;
    final MessageFactory messages;
    final DigestAuth digest;
    final CallScheduler scheduler;
    final ScheduledExecutorService timers;
    final ExecutorService callbacks;
    final InboundPolicy policy;
    final InboundFaxSink sink;
    final Map<String, SipCall> calls = new ConcurrentHashMap<>();
    private final Registration registration;
    private final int port;
    private final TrustedSources trust;
    final UserAgentMessages ua;

    private SipEndpoint(Settings settings, SipAccount account, InboundPolicy policy, InboundFaxSink sink, CallScheduler scheduler) throws IOException {
        this.settings = settings;
        this.trust = new TrustedSources(settings);
        this.account = account;
        this.policy = policy;
        this.sink = sink;
        this.scheduler = scheduler;
        this.address = chooseAddress(settings);
        this.host = address.getHostAddress();
        int chosen = settings.port();
        try {
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            Properties p = new Properties();
            p.setProperty("javax.sip.STACK_NAME", "faxlan-" + settings.name() + "-" + STACKS.incrementAndGet());
            p.setProperty("gov.nist.javax.sip.STACK_LOGGER", SipStackLogger.class.getName());
            p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
            p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
            p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
            // Bounds what one peer can make us buffer; a fax call's messages are a few kilobytes.
            p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "65536");
            p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
            this.stack = factory.createSipStack(p);
            // Before the listening point exists: its channels take their parser from the stack when they start.
            ((SIPTransactionStack) stack).setMessageParserFactory(s -> new TrustAwareMessageParser(trust));
            ListeningPoint lp = null;
            for (int attempt = 1; lp == null; attempt++) {
                // Port 0: a port that was free a moment ago, tried again if someone took it in between.
                int candidate = settings.port() == 0 ? freePort(address) : settings.port();
                try {
                    lp = stack.createListeningPoint(host, candidate, settings.transport());
                    chosen = candidate;
                } catch (Exception e) {
                    if (settings.port() != 0 || attempt == 5) throw e;
                }
            }
            this.provider = stack.createSipProvider(lp);
            this.headers = factory.createHeaderFactory();
            this.addresses = factory.createAddressFactory();
            this.messages = factory.createMessageFactory();
            this.digest = new DigestAuth(headers, account != null ? account.authUser() : "", account != null ? account.password() : "",
                    account != null ? account.realm() : null, "line." + settings.name() + ".realm");
            trust.resolve(); // before the first request can arrive
            provider.addSipListener(this);
            stack.start();
        } catch (Exception e) {
            throw new IOException("cannot start SIP on " + host + ":" + chosen + "/" + settings.transport() + ": " + e.getMessage(), e);
        }
        this.port = chosen;
        this.ua = new UserAgentMessages(settings, account, host, chosen, provider, headers, addresses, messages);
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sip-timers-" + settings.name()));
        this.callbacks = Executors.newCachedThreadPool(r -> daemon(r, "sip-calls-" + settings.name()));
        this.registration = account != null && account.register() && settings.registrar() != null ? new Registration(this) : null;
        trust.refreshEvery(timers, callbacks);
    }

    /** Requests refused as untrusted since start (counted, whether logged or not). */
    public long refusedRequests() {
        return trust.refused();
    }

    /** The address a received message came from (its packet's or connection's source); null if unknown. */
    static InetAddress sourceOf(Message m) {
        if (!(m instanceof SIPMessage s)) return null;
        return s.getPeerPacketSourceAddress() != null ? s.getPeerPacketSourceAddress() : s.getRemoteAddress();
    }

    static int sourcePortOf(Message m) {
        if (!(m instanceof SIPMessage s)) return -1;
        return s.getPeerPacketSourceAddress() != null ? s.getPeerPacketSourcePort() : s.getRemotePort();
    }

    /**
     * Starts the user agent; when it has an account that registers, the first REGISTER goes out at once
     * (see {@link #registered()}).
     */
    public static SipEndpoint start(Settings settings, SipAccount account, InboundPolicy policy, InboundFaxSink sink, CallScheduler scheduler)
            throws IOException {
        SipEndpoint e = new SipEndpoint(settings, account, policy, sink, scheduler);
        if (e.registration != null) e.registration.start();
        return e;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** A bind of 0.0.0.0 cannot go into Via, Contact or SDP: use the local address that routes to the registrar. */
    private static InetAddress chooseAddress(Settings s) throws IOException {
        InetAddress bind = InetAddress.getByName(s.bind());
        if (!bind.isAnyLocalAddress()) return bind;
        InetSocketAddress towards = s.registrar() != null ? s.registrar() : new InetSocketAddress("192.0.2.1", 5060);
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(towards); // no packet is sent: connect only asks the kernel for a route
            InetAddress a = probe.getLocalAddress();
            return a.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : a;
        }
    }

    private static int freePort(InetAddress a) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(a, 0))) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String host() {
        return host;
    }

    /** Completes when the first registration succeeds; fails with the reason (wrong password…) otherwise. */
    public CompletableFuture<Void> registered() {
        return registration == null ? CompletableFuture.completedFuture(null) : registration.first();
    }

    /** Registration state for status displays: "not registering", "registered", or why not. */
    public String registrationState() {
        return registration == null ? "not registering" : registration.state();
    }

    /** Hangs up every call now (BYE, or CANCEL when not answered yet). */
    public void hangUpAll() {
        for (SipCall c : calls.values()) c.hangUp();
    }

    public int activeCalls() {
        return calls.size();
    }

    /** Calls placed here that the other side has not answered yet (their INVITE may not have reached it). */
    public int unansweredCalls() {
        int n = 0;
        for (SipCall c : calls.values()) {
            // Read without the call's lock: a state seen late is INVITING, which counts a call once too often, never too few.
            if (c.role == SipCall.Role.SEND && c.state == SipCall.State.INVITING) n++;
        }
        return n;
    }

    /**
     * Places a fax call to {@code number} (the request-URI user part, already in the trunk's dial
     * form) at {@code domain} (host[:port]; the account's domain when null), and sends {@code pages}.
     * Cancelling the returned future hangs the call up.
     */
    public CompletableFuture<CallResult> send(String number, String domain, List<BilevelPage> pages, FaxOptions options) {
        return send(number, domain, pages, options, e -> {});
    }

    /**
     * As {@link #send(String, String, List, FaxOptions)}, telling {@code progress} of the fax as it goes
     * (negotiated, each page confirmed). It runs on the calls' scheduler thread: it must return at once.
     */
    public CompletableFuture<CallResult> send(String number, String domain, List<BilevelPage> pages, FaxOptions options,
            java.util.function.Consumer<dev.faxlan.engine.fax.FaxEvent> progress) {
        return send(number, domain, dev.faxlan.engine.fax.OutgoingPages.of(pages), options, progress);
    }

    /** As {@link #send(String, String, List, FaxOptions, java.util.function.Consumer)}, reading each page when the call codes it. */
    public CompletableFuture<CallResult> send(String number, String domain, dev.faxlan.engine.fax.OutgoingPages pages, FaxOptions options,
            java.util.function.Consumer<dev.faxlan.engine.fax.FaxEvent> progress) {
        return send(number, domain, pages, options, progress, settings.policy());
    }

    /** As {@link #send(String, String, dev.faxlan.engine.fax.OutgoingPages, FaxOptions, java.util.function.Consumer)}, under {@code policy} instead of the line's. */
    public CompletableFuture<CallResult> send(String number, String domain, dev.faxlan.engine.fax.OutgoingPages pages, FaxOptions options,
            java.util.function.Consumer<dev.faxlan.engine.fax.FaxEvent> progress, MediaPolicy policy) {
        return send(number, domain, pages, options, progress, policy, true);
    }

    /**
     * As above; {@code upgradeByReinvite} false keeps a g711-then-t38 attempt's audio call in audio (no
     * re-INVITE to T.38 from either side), T.38 then only the second call's if the audio fails.
     */
    public CompletableFuture<CallResult> send(String number, String domain, dev.faxlan.engine.fax.OutgoingPages pages, FaxOptions options,
            java.util.function.Consumer<dev.faxlan.engine.fax.FaxEvent> progress, MediaPolicy policy, boolean upgradeByReinvite) {
        return send(number, domain, pages, options, progress, policy, upgradeByReinvite, null);
    }

    /**
     * As above, each call's Call-ID beginning with {@code callTag} (letters and digits, at most 40; null: the
     * stack's own Call-IDs): the receiving side's record of the call then names the attempt that placed it.
     */
    public CompletableFuture<CallResult> send(String number, String domain, dev.faxlan.engine.fax.OutgoingPages pages, FaxOptions options,
            java.util.function.Consumer<dev.faxlan.engine.fax.FaxEvent> progress, MediaPolicy policy, boolean upgradeByReinvite, String callTag) {
        return MediaFallback.send(this, number, domain != null ? domain : account.domain(), pages, options, progress, policy, upgradeByReinvite,
                callTag);
    }

    // ---------------------------------------------------------------- SipListener

    /** The MDC key of a call's SIP Call-ID on the lines its SIP handling and timers log (JSON logs show it). */
    public static final String CALL_MDC = "call";

    /** {@code task} run with the log context (job, call) of the thread that hands it on, as timers and callbacks of a call are. */
    static Runnable withLogContext(Runnable task) {
        java.util.Map<String, String> context = MDC.getCopyOfContextMap();
        if (context == null || context.isEmpty()) return task;
        return () -> {
            java.util.Map<String, String> before = MDC.getCopyOfContextMap();
            MDC.setContextMap(context);
            try {
                task.run();
            } finally {
                if (before == null) MDC.clear();
                else MDC.setContextMap(before);
            }
        };
    }

    @Override
    public void processRequest(RequestEvent e) {
        Request req = e.getRequest();
        String method = req.getMethod();
        try {
            String callId = ((CallIdHeader) req.getHeader(CallIdHeader.NAME)).getCallId();
            MDC.put(CALL_MDC, callId);
            SipCall call = calls.get(callId);
            InetAddress source = sourceOf(req);
            if (call == null && !trust.trusts(source, sourcePortOf(req))) {
                // Nothing of ours yet: only a trusted source may start a call or ask anything.
                trust.refuse(req, source, sourcePortOf(req), messages, provider);
                return;
            }
            switch (method) {
                case Request.INVITE -> {
                    ServerTransaction st = serverTransaction(e);
                    if (st == null) return;
                    if (call != null) call.onReinvite(st, req, source);
                    else InboundCall.answer(this, st, req, source);
                }
                case Request.ACK -> {
                    if (call != null) call.onAck(req, source);
                }
                case Request.BYE -> {
                    ServerTransaction st = serverTransaction(e);
                    ua.respond(st, req, call != null ? Response.OK : Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                    if (call != null) call.onRemoteBye();
                }
                case Request.CANCEL -> {
                    ServerTransaction st = serverTransaction(e);
                    ua.respond(st, req, call != null ? Response.OK : Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                    if (call != null) call.onCancel();
                }
                case Request.OPTIONS -> ua.respond(serverTransaction(e), req, Response.OK);
                case "UPDATE" -> {
                    ServerTransaction st = serverTransaction(e);
                    if (st == null) return;
                    if (call != null) call.onUpdate(st, req);
                    else ua.respond(st, req, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                }
                default -> ua.respond(serverTransaction(e), req, Response.METHOD_NOT_ALLOWED);
            }
        } catch (RuntimeException ex) {
            // A request the stack parsed but we cannot handle must not take the listener down.
            log.warn("{}: {} request failed: {}", settings.name(), method, ex.toString());
            ua.respond(null, req, Response.SERVER_INTERNAL_ERROR);
        } finally {
            MDC.remove(CALL_MDC);
        }
    }

    private ServerTransaction serverTransaction(RequestEvent e) {
        ServerTransaction st = e.getServerTransaction();
        if (st != null) return st;
        try {
            return provider.getNewServerTransaction(e.getRequest());
        } catch (TransactionAlreadyExistsException ex) {
            return null; // a retransmission: the transaction layer answers it
        } catch (Exception ex) {
            log.debug("{}: no server transaction for {}: {}", settings.name(), e.getRequest().getMethod(), ex.toString());
            return null;
        }
    }

    @Override
    public void processResponse(ResponseEvent e) {
        Response resp = e.getResponse();
        CSeqHeader cseq = (CSeqHeader) resp.getHeader(CSeqHeader.NAME);
        if (cseq == null) return;
        String callId = ((CallIdHeader) resp.getHeader(CallIdHeader.NAME)).getCallId();
        MDC.put(CALL_MDC, callId);
        try {
            if (Request.REGISTER.equals(cseq.getMethod())) {
                if (registration != null) registration.onResponse(e);
                return;
            }
            SipCall call = calls.get(callId);
            if (Request.INVITE.equals(cseq.getMethod())) {
                if (call != null) call.onInviteResponse(e);
                else if (resp.getStatusCode() / 100 == 2 && e.getDialog() != null) ackAndHangUpStray(e.getDialog(), cseq.getSeqNumber());
            }
        } catch (RuntimeException ex) {
            log.warn("{}: handling {} {} failed: {}", settings.name(), resp.getStatusCode(), cseq.getMethod(), ex.toString());
        } finally {
            MDC.remove(CALL_MDC);
        }
    }

    /** A 2xx for a call we no longer have (answered just after we gave up): acknowledge it and hang up. */
    private void ackAndHangUpStray(Dialog d, long seq) {
        try {
            d.sendAck(d.createAck(seq));
            Request bye = d.createRequest(Request.BYE);
            d.sendRequest(provider.getNewClientTransaction(bye));
        } catch (Exception ex) {
            log.debug("{}: stray 2xx: {}", settings.name(), ex.toString());
        }
    }

    @Override
    public void processTimeout(TimeoutEvent e) {
        if (e.isServerTransaction()) return;
        ClientTransaction ct = e.getClientTransaction();
        Request req = ct.getRequest();
        if (Request.REGISTER.equals(req.getMethod())) {
            if (registration != null) registration.onTimeout();
            return;
        }
        SipCall call = calls.get(((CallIdHeader) req.getHeader(CallIdHeader.NAME)).getCallId());
        if (call != null) call.onTimeout(req.getMethod());
    }

    @Override
    public void processIOException(IOExceptionEvent e) {
        log.debug("{}: I/O error towards {}:{}", settings.name(), e.getHost(), e.getPort());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent e) {}

    @Override
    public void processDialogTerminated(DialogTerminatedEvent e) {}

    void schedule(Runnable task, long delayMillis) {
        Runnable inContext = withLogContext(task);
        try {
            timers.schedule(() -> {
                try {
                    inContext.run();
                } catch (RuntimeException ex) {
                    log.warn("{}: timer task failed: {}", settings.name(), ex.toString());
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: calls are being hung up anyway
        }
    }

    @Override
    public void close() {
        for (SipCall c : calls.values()) c.hangUp();
        if (registration != null) registration.stop();
        timers.shutdownNow();
        callbacks.shutdown();
        try {
            callbacks.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        provider.removeSipListener(this);
        // The stack closes its sockets first, then sleeps a second before its threads end: let that happen in the background.
        Thread stopper = new Thread(() -> {
            try {
                stack.stop();
            } catch (RuntimeException e) {
                // JAIN-SIP's UDP processor can throw while stopping when a receive was in progress; the socket is closed anyway.
                log.debug("{}: stopping the SIP stack: {}", settings.name(), e.toString());
            }
        }, "sip-stop-" + settings.name());
        stopper.setDaemon(true);
        stopper.start();
    }
}
