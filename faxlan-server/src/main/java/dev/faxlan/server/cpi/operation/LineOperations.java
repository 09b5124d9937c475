package dev.faxlan.server.cpi.operation;

import static dev.faxlan.server.cpi.operation.Operations.encode;

import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.message.LineMessage;
import dev.faxlan.server.core.Checks;
import dev.faxlan.server.core.port.LineDirectory;
import java.util.function.Supplier;

/** {@code line.list}: the lines and their state, for administrators (a line's state tells about the telephone account). */
final class LineOperations {
    private final Supplier<LineDirectory> lines;

    LineOperations(Supplier<LineDirectory> lines) {
        this.lines = lines;
    }

    void register(Operations ops) {
        ops.query(Op.LINE_LIST, call -> {
            Checks.requireAdmin(call.caller());
            call.body(LineMessage.ListLines.class);
            return encode(new LineMessage.Lines(lines.get().lines().stream()
                    .map(l -> new LineMessage.Line(l.name(), l.kind(), l.state(), l.calls())).toList()));
        });
    }
}
