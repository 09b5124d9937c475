package dev.faxlan.server.cpi.operation;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.cbor.Cbor;
import dev.faxlan.protocol.cbor.CborException;
import dev.faxlan.server.core.AfterCommit;
import dev.faxlan.server.service.Caller;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Idempotency;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Exactly-once execution of the mutating operations: a change and its stored answer commit in one
 * durable transaction keyed by (user, idempotency key), so a retried request gets the first answer
 * and never executes twice, across reconnects and restarts. A replayed answer is only an answer:
 * the change's after-commit effects run for a real execution alone.
 */
final class Idempotent {
    static final long RETENTION_MS = 7 * 24 * 3600_000L;

    private final Database db;
    private final Clock clock;
    private final Consumer<String> replayed;

    /** @param replayed told the operation of each retried request answered from the store (a metric) */
    Idempotent(Database db, Clock clock, Consumer<String> replayed) {
        this.db = db;
        this.clock = clock;
        this.replayed = replayed;
    }

    Fields once(Message.Request req, Caller caller, Operations.Change change) throws CpiException, SQLException {
        byte[] key = req.idempotencyKey();
        if (key == null) throw new CpiException(ErrorCode.BAD_REQUEST, req.op().wire() + " needs an idempotency key");
        byte[] digest = requestDigest(req);
        for (int attempt = 0; ; attempt++) {
            AfterCommit after = new AfterCommit();
            try {
                Outcome outcome = db.durableTx(c -> { // acknowledged: on the disk before the answer
                    Optional<Idempotency.Stored> stored = Idempotency.find(c, caller.userId(), key);
                    if (stored.isPresent()) return new Outcome(null, stored.get());
                    Fields fresh = change.apply(c, after);
                    Idempotency.insert(c, caller.userId(), key, req.op().wire(), digest, Cbor.encode(storedForm(req.op(), fresh)), clock.millis());
                    return new Outcome(fresh, null);
                });
                if (outcome.stored() != null) {
                    Fields answer = replay(outcome.stored(), req.op(), digest);
                    replayed.accept(req.op().wire());
                    return answer;
                }
                after.run();
                return outcome.fresh();
            } catch (SQLException e) {
                // A concurrent retry of the same request committed first (unique key): replay its result.
                if (attempt == 0 && isUniqueViolation(e)) continue;
                throw e;
            }
        }
    }

    /**
     * Answer fields the store never keeps: a new API key's secret exists in its first answer alone
     * (the server keeps only its hash), so a replay of {@code apikey.create} answers without it.
     */
    private static final Map<Op, Set<String>> NOT_STORED = Map.of(Op.APIKEY_CREATE, Set.of("key"));

    private static Map<String, Object> storedForm(Op op, Fields answer) {
        Set<String> left = NOT_STORED.get(op);
        if (left == null) return answer.asMap();
        Map<String, Object> kept = new LinkedHashMap<>(answer.asMap());
        kept.keySet().removeAll(left);
        return kept;
    }

    /** What the transaction found: a fresh answer it stored, or the answer stored by the first execution. */
    private record Outcome(Fields fresh, Idempotency.Stored stored) {}

    /** Forgets answers older than the retention: a retry is expected within minutes, not a week. */
    void purge() throws SQLException {
        long before = clock.millis() - RETENTION_MS;
        db.tx(c -> {
            Idempotency.purge(c, before);
            return null;
        });
    }

    /** SHA-256 over the operation and the body in canonical form (map keys sorted), so a retry matches whatever its key order. */
    static byte[] requestDigest(Message.Request req) {
        MessageDigest md = Spool.sha256();
        md.update(req.op().wire().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(Cbor.encode(canonical(req.body().asMap())));
        return md.digest();
    }

    private static Object canonical(Object value) {
        if (value instanceof Map<?, ?> m) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) sorted.put(String.valueOf(e.getKey()), canonical(e.getValue()));
            return sorted;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(canonical(o));
            return out;
        }
        return value;
    }

    private static Fields replay(Idempotency.Stored stored, Op op, byte[] digest) throws CpiException {
        if (!stored.op().equals(op.wire())) {
            throw new CpiException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "idempotency key was first used for " + stored.op() + ", not " + op.wire());
        }
        if (stored.requestSha256() != null && !MessageDigest.isEqual(stored.requestSha256(), digest)) {
            throw new CpiException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "idempotency key was first used for another " + op.wire() + " request; a new request needs a new key");
        }
        try {
            return Fields.of(Cbor.decode(stored.response()), "stored response");
        } catch (CborException e) {
            throw new IllegalStateException("stored response is corrupt", e);
        }
    }

    private static boolean isUniqueViolation(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("23");
    }
}
