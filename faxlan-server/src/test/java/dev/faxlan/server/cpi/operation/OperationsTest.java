package dev.faxlan.server.cpi.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Op;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationsTest {
    /** The operations answered on a stream of their own, not by the router. */
    private static final Set<Op> STREAMS = EnumSet.of(Op.UPLOAD_DATA, Op.INBOX_FETCH, Op.ALERT_SUBSCRIBE);

    @Test
    void everyOperationButTheStreamsHasExactlyOneHandlerOfItsKind(@TempDir java.nio.file.Path dir) throws Exception {
        try (ServiceFixture f = new ServiceFixture(dir, new dev.faxlan.server.MutableClock())) {
            Operations ops = f.service().operations();
            for (Op op : Op.values()) {
                boolean query = ops.query(op).isPresent();
                boolean command = ops.command(op).isPresent();
                if (STREAMS.contains(op)) {
                    assertThat(query || command).as(op.wire()).isFalse();
                } else {
                    assertThat(op.mutating() ? command && !query : query && !command).as(op.wire()).isTrue();
                }
            }
        }
    }

    @Test
    void theCoreMakesSessionTokensOfTheLengthTheWireCarries() {
        assertThat(dev.faxlan.server.core.session.Authenticator.TOKEN_BYTES).isEqualTo(dev.faxlan.protocol.CpiCodec.SESSION_TOKEN_BYTES);
    }

    @Test
    void aChangeCannotBeRegisteredAsAQueryNorTwice() {
        Operations ops = new Operations();
        assertThatThrownBy(() -> ops.query(Op.SUBMIT, call -> Fields.EMPTY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ops.command(Op.JOB_LIST, call -> (c, after) -> Fields.EMPTY)).isInstanceOf(IllegalArgumentException.class);
        ops.query(Op.JOB_LIST, call -> Fields.EMPTY);
        assertThatThrownBy(() -> ops.query(Op.JOB_LIST, call -> Fields.EMPTY)).isInstanceOf(IllegalStateException.class);
    }
}
