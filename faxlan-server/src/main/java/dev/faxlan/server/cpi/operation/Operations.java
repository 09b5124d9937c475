package dev.faxlan.server.cpi.operation;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.message.MessageCodec;
import dev.faxlan.server.core.AfterCommit;
import dev.faxlan.server.service.Caller;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which class answers each operation: every operation family registers its reads as queries and
 * its changes as commands. A command reads and checks its request first, outside any transaction,
 * and returns the change to make; the router runs that change exactly once, in the transaction that
 * also stores its answer.
 */
final class Operations {
    /** One request: its caller is null for the operations that need no session ({@code info}, {@code login}). */
    record Call(Message.Request request, Caller caller, String address) {
        /** The request's body as its operation's record; a missing or mistyped field is BAD_REQUEST naming it. */
        <R extends Record> R body(Class<R> type) throws CpiException {
            return MessageCodec.decode(type, request.body());
        }
    }

    @FunctionalInterface
    interface Query {
        Fields answer(Call call) throws CpiException, SQLException, IOException;
    }

    @FunctionalInterface
    interface Command {
        Change prepare(Call call) throws CpiException;
    }

    /** A command's effects, run in the transaction {@code c}; what must wait for the commit goes into {@code after}. */
    @FunctionalInterface
    interface Change {
        Fields apply(Connection c, AfterCommit after) throws SQLException;
    }

    private final Map<Op, Query> queries = new EnumMap<>(Op.class);
    private final Map<Op, Command> commands = new EnumMap<>(Op.class);

    void query(Op op, Query q) {
        if (op.mutating()) throw new IllegalArgumentException(op.wire() + " changes state: register it as a command");
        if (queries.putIfAbsent(op, q) != null) throw new IllegalStateException(op.wire() + " is registered twice");
    }

    void command(Op op, Command c) {
        if (!op.mutating()) throw new IllegalArgumentException(op.wire() + " changes nothing: register it as a query");
        if (commands.putIfAbsent(op, c) != null) throw new IllegalStateException(op.wire() + " is registered twice");
    }

    Optional<Query> query(Op op) {
        return Optional.ofNullable(queries.get(op));
    }

    Optional<Command> command(Op op) {
        return Optional.ofNullable(commands.get(op));
    }

    static Fields encode(Record reply) {
        return MessageCodec.encode(reply);
    }
}
