package dev.faxlan.sdk;

import static dev.faxlan.sdk.FaxlanClient.FIRST_ATTEMPT_MS;
import static dev.faxlan.sdk.FaxlanClient.FIRST_BACKOFF_MS;
import static dev.faxlan.sdk.FaxlanClient.MAX_ATTEMPT_MS;
import static dev.faxlan.sdk.FaxlanClient.MAX_BACKOFF_MS;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Fingerprint;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.message.CpiRequest;
import dev.faxlan.protocol.message.MessageCodec;
import dev.faxlan.protocol.message.Operations;
import dev.faxlan.protocol.message.SessionMessage;
import dev.faxlan.sdk.transport.CpiConnection;
import dev.faxlan.sdk.transport.PinningTrustManager;
import dev.faxlan.transport.keylog.TlsKeyLog;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's link to one server: its connection (made again when lost), its session (logged in
 * again when expired), and the retry loop every request goes through. In a cluster the link learns the
 * other nodes from {@code info} and, when its node stops answering, continues on another one with the
 * same session and the same idempotency keys (sessions and keys live in the shared database).
 */
final class ServerLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerLink.class);
    /** How often a link asks its node for the cluster's nodes again, besides at every new connection. */
    static final long NODES_REFRESH_MS = 60_000;
    /** How long a new connection waits for the node's list before its first request goes out without it. */
    static final long NODES_WAIT_MS = 2_000;

    /** The node this link talks to now: in a cluster it changes when the node stops answering. */
    private volatile InetSocketAddress server;
    private final NodeList nodes;
    private final Consumer<List<ClusterNode>> onNodes;
    private volatile long nodesAskedAt;
    private final String user;
    private final char[] password;
    /** An API key to log in with instead of user and password (null: log in with the password). */
    private final char[] apiKey;
    private final long timeoutMs;
    private final Consumer<byte[]> onNewIdentity;
    private final Consumer<CpiConnection.PushedEvent> events;
    private final boolean epoll = Epoll.isAvailable();
    private final EventLoopGroup group;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong requestIds = new AtomicLong();
    private volatile byte[] pin;
    private volatile byte[] session;
    /** Who the last login made this session for: with an API key, the client learns it from the answer. */
    private volatile String loggedInAs;
    private CpiConnection connection;
    private TlsKeyLog keyLog;

    ServerLink(InetSocketAddress server, String user, char[] password, char[] apiKey, long timeoutMs, byte[] pin, Consumer<byte[]> onNewIdentity,
            Consumer<CpiConnection.PushedEvent> events) {
        this(server, user, password, apiKey, timeoutMs, pin, onNewIdentity, events, new NodeList(List.of(), Map.of(), new SecureRandom()), n -> {});
    }

    ServerLink(InetSocketAddress server, String user, char[] password, char[] apiKey, long timeoutMs, byte[] pin, Consumer<byte[]> onNewIdentity,
            Consumer<CpiConnection.PushedEvent> events, NodeList nodes, Consumer<List<ClusterNode>> onNodes) {
        this.server = server;
        this.nodes = nodes;
        this.onNodes = onNodes;
        this.user = user;
        this.password = password;
        this.apiKey = apiKey;
        this.timeoutMs = timeoutMs;
        this.pin = pin;
        this.onNewIdentity = onNewIdentity;
        this.events = events;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("faxlan-client", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    InetSocketAddress server() {
        return server;
    }

    /** Debugging only: every connection made from now on writes its TLS secrets to {@code keyLog} (null: none). */
    synchronized void keyLog(TlsKeyLog keyLog) {
        this.keyLog = keyLog;
    }

    byte[] pin() {
        return pin;
    }

    /** The cluster's nodes as the link knows them now (empty for a server that is not part of a cluster). */
    List<ClusterNode> nodes() {
        return nodes.nodes();
    }

    long timeoutMs() {
        return timeoutMs;
    }

    /** Executes one typed request with retries until the deadline; returns its typed answer. */
    <R extends Record> R call(CpiRequest<R> request) {
        Fields body = call(Operations.op(request), MessageCodec.encode((Record) request));
        return get(() -> Operations.reply(request, body));
    }

    /** A request that is not mutating, with a deadline of the caller's. */
    <R extends Record> R call(CpiRequest<R> request, long deadline) {
        Fields body = callWithKey(Operations.op(request), MessageCodec.encode((Record) request), null, deadline);
        return get(() -> Operations.reply(request, body));
    }

    /** Executes one operation with retries until the deadline; returns the response body. */
    Fields call(Op op, Fields body) {
        byte[] key = null;
        if (op.mutating()) {
            key = new byte[CpiCodec.IDEMPOTENCY_KEY_BYTES];
            random.nextBytes(key);
        }
        return callWithKey(op, body, key, deadline());
    }

    /**
     * Executes one mutating operation under an idempotency key the caller keeps, for clients that must
     * survive their own restart (a gateway that persisted the key): the same key and body repeat the
     * first result; the same key with another body is {@code IDEMPOTENCY_KEY_REUSED}.
     */
    Fields call(Op op, Fields body, byte[] idempotencyKey) {
        if (!op.mutating()) throw new IllegalArgumentException(op.wire() + " takes no idempotency key");
        if (idempotencyKey == null || idempotencyKey.length != CpiCodec.IDEMPOTENCY_KEY_BYTES) {
            throw new IllegalArgumentException("an idempotency key is " + CpiCodec.IDEMPOTENCY_KEY_BYTES + " bytes");
        }
        return callWithKey(op, body, idempotencyKey.clone(), deadline());
    }

    Fields callWithKey(Op op, Fields body, byte[] key, long deadline) {
        long backoff = FIRST_BACKOFF_MS;
        long attemptMs = FIRST_ATTEMPT_MS;
        Throwable last = null;
        while (true) {
            long now = System.currentTimeMillis();
            if (now >= deadline) {
                throw new FaxlanException.Unreachable("no answer from " + describe() + " after " + timeoutMs + " ms"
                        + (last != null ? " (last: " + last.getMessage() + ")" : ""), last);
            }
            InetSocketAddress node = server;
            CpiConnection conn = null;
            long heard = -1;
            try {
                conn = connection(deadline);
                // Only a client with somewhere else to go needs to tell a silent node from a slow one.
                if (nodes.hasOthers(pin)) heard = conn.packetsReceived();
                if (op.needsSession()) ensureSession(deadline);
                Message.Request req = new Message.Request(requestIds.incrementAndGet(), op, op.needsSession() ? session : null, key, body);
                Message m = conn.request(req).get(Math.min(attemptMs, Math.max(1, deadline - System.currentTimeMillis())), TimeUnit.MILLISECONDS);
                if (m instanceof Message.Ok ok) return ok.body();
                if (m instanceof Message.Error e) {
                    if (e.code() == ErrorCode.SESSION_EXPIRED && op.needsSession()) {
                        session = null;
                        continue;
                    }
                    // A throttled login would only be throttled longer by retrying: the caller is told at once how long to wait.
                    if (e.code() == ErrorCode.AUTH_FAILED || e.code() == ErrorCode.AUTH_THROTTLED) {
                        throw new FaxlanException.AuthenticationFailed(e.message());
                    }
                    if (!e.code().retryable()) throw new FaxlanException.Refused(e.code(), e.message());
                    last = e.toException();
                } else {
                    last = new IOException("unexpected " + m.getClass().getSimpleName() + " in answer to " + op.wire());
                }
            } catch (TimeoutException e) {
                last = new IOException("no response within " + attemptMs + " ms");
                attemptMs = Math.min(MAX_ATTEMPT_MS, attemptMs * 2);
                // A node that sent not one packet during the whole attempt is taken for dead; a slow one keeps the client.
                if (heard >= 0 && conn.packetsReceived() == heard) nodeFailed(node, last);
                else dropConnection();
            } catch (ExecutionException e) {
                last = e.getCause();
                dropConnection();
            } catch (IOException e) {
                last = e;
                dropConnection();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FaxlanException("interrupted", 1, e);
            }
            sleep(backoff, deadline);
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
    }

    private void ensureSession(long deadline) throws IOException {
        if (session != null) return;
        synchronized (this) {
            if (session == null) login(deadline);
        }
    }

    /** A request that needs the session, logging in first if there is none. */
    Message.Request sessionRequest(Op op, Record body, long deadline) throws IOException {
        ensureSession(deadline);
        return new Message.Request(requestIds.incrementAndGet(), op, session, null, MessageCodec.encode(body));
    }

    /** The server said the session is gone: the next request logs in again. */
    void sessionExpired() {
        session = null;
    }

    SessionMessage.LoginReply login(long deadline) {
        SessionMessage.Login login;
        if (apiKey != null) {
            login = SessionMessage.Login.withKey(new String(apiKey));
        } else {
            if (user == null || password == null) {
                throw new FaxlanException.AuthenticationFailed("no user or password given (use --user and --password-file, or FAXLAN_USER and FAXLAN_PASSWORD)");
            }
            login = new SessionMessage.Login(user, new String(password));
        }
        Fields f = callWithKey(Op.LOGIN, MessageCodec.encode(login), null, deadline);
        SessionMessage.LoginReply reply = get(() -> Operations.reply(login, f));
        loggedInAs = reply.user();
        session = reply.session();
        return reply;
    }

    /** The user the session is for: the one given, or with an API key the key's user once logged in (null before). */
    String user() {
        return apiKey != null ? loggedInAs : user;
    }

    synchronized CpiConnection connection(long deadline) throws IOException, InterruptedException {
        if (connection != null && connection.isActive()) {
            if (System.currentTimeMillis() - nodesAskedAt > NODES_REFRESH_MS) askForNodes(connection);
            return connection;
        }
        long budget = Math.max(1, Math.min(FIRST_ATTEMPT_MS, deadline - System.currentTimeMillis()));
        PinningTrustManager trust = new PinningTrustManager(pin);
        InetSocketAddress node = server;
        try {
            connection = CpiConnection.connect(group, epoll, node, trust, events, budget, keyLog);
        } catch (CpiConnection.IdentityException e) {
            throw new FaxlanException.IdentityMismatch("the server at " + describe() + " presented identity " + Fingerprint.format(trust.seen())
                    + ", not the pinned " + Fingerprint.format(pin) + ". If the server was reinstalled on purpose, remove it with"
                    + " 'faxlan servers --remove' and add it again; otherwise someone may be impersonating it.");
        } catch (IOException e) {
            // No handshake: the node is down or cannot be reached; in a cluster the next attempt goes to another node.
            nodeFailed(node, e);
            throw e;
        }
        if (pin == null && trust.seen() != null) {
            pin = trust.seen();
            onNewIdentity.accept(pin.clone());
        }
        // Before the connection's first request, so every new connection's requests come in one order (the nodes
        // first); a node that does not answer this in time is asked again at the next connection.
        try {
            askForNodes(connection).get(Math.max(1, Math.min(NODES_WAIT_MS, deadline - System.currentTimeMillis())), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            nodesAskedAt = 0;
        }
        return connection;
    }

    /**
     * Asks the node for the cluster's nodes, without waiting: the answer comes over a connection whose
     * certificate matched the pin, so the nodes it lists are the cluster's (NodeList's trust rule).
     */
    private java.util.concurrent.CompletableFuture<?> askForNodes(CpiConnection conn) {
        nodesAskedAt = System.currentTimeMillis();
        byte[] trusted = pin;
        return conn.request(new Message.Request(requestIds.incrementAndGet(), Op.INFO, null, null, MessageCodec.encode(new SessionMessage.Info())))
                .whenComplete((m, e) -> {
                    if (!(m instanceof Message.Ok ok)) return;
                    try {
                        SessionMessage.InfoReply r = Operations.reply(new SessionMessage.Info(), ok.body());
                        // A node that names another identity for itself than its handshake proved is not believed.
                        if (r.nodes() == null || trusted == null || !MessageDigest.isEqual(trusted, r.fp())) return;
                        onNodes.accept(nodes.learn(ClusterNode.listed(r.nodes())));
                    } catch (CpiException | RuntimeException ex) {
                        log.debug("the node list of {} was not read: {}", describe(), ex.toString());
                    }
                });
    }

    /**
     * The node at {@code node} did not answer or its connection died: the connection is dropped and, in a
     * cluster, the link continues on another node with that node's listed fingerprint pinned. Only the
     * first of several requests that saw the same node fail moves the link.
     */
    synchronized void nodeFailed(InetSocketAddress node, Throwable why) {
        if (!node.equals(server)) return;
        dropConnection();
        if (pin == null) return;
        ClusterNode next = nodes.next(pin, System.currentTimeMillis());
        if (next == null) return;
        log.info("node {} stopped answering ({}); continuing on node {} ({})", describe(), why == null ? "connection lost" : why.getMessage(),
                next.addressText(), next.name());
        server = next.address();
        pin = next.fingerprint();
    }

    synchronized void dropConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    long deadline() {
        return System.currentTimeMillis() + timeoutMs;
    }

    static void sleep(long backoff, long deadline) {
        long jittered = ThreadLocalRandom.current().nextLong(backoff / 2, backoff + 1);
        long wait = Math.min(jittered, deadline - System.currentTimeMillis());
        if (wait <= 0) return;
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaxlanException("interrupted", 1, e);
        }
    }

    private String describe() {
        return server.getHostString() + ":" + server.getPort();
    }

    @FunctionalInterface
    interface FieldRead<T> {
        T read() throws CpiException;
    }

    /** Reads response fields; a malformed response is the server's fault, reported as such. */
    static <T> T get(FieldRead<T> read) {
        try {
            return read.read();
        } catch (CpiException e) {
            throw new FaxlanException("the server sent a malformed response: " + e.getMessage(), 1, e);
        }
    }


    @Override
    public void close() {
        if (session != null) {
            try {
                CpiConnection c;
                synchronized (this) {
                    c = connection;
                }
                if (c != null && c.isActive()) {
                    c.request(new Message.Request(requestIds.incrementAndGet(), Op.LOGOUT, session, null, MessageCodec.encode(new SessionMessage.Logout())))
                            .get(1, TimeUnit.SECONDS);
                }
            } catch (Exception ignored) {
                // best effort: the session expires on its own
            }
        }
        dropConnection();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
