package dev.faxlan.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OpTest {

    @ParameterizedTest
    @EnumSource(Op.class)
    void wireNamesMapBack(Op op) throws CpiException {
        assertThat(Op.fromWire(op.wire())).isSameAs(op);
    }

    @Test
    void wireNamesAreUnique() {
        assertThat(Arrays.stream(Op.values()).map(Op::wire).collect(Collectors.toSet())).hasSize(Op.values().length);
    }

    @Test
    void unknownNameIsUnknownOperation() {
        assertThatThrownBy(() -> Op.fromWire("SUBMIT"))
                .isInstanceOfSatisfying(CpiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_OPERATION))
                .hasMessageContaining("\"SUBMIT\"");
    }

    @Test
    void operationsThatChangeStateAreTheMutatingOnes() {
        assertThat(EnumSet.allOf(Op.class).stream().filter(Op::mutating))
                .containsExactlyInAnyOrder(Op.UPLOAD_BEGIN, Op.SUBMIT, Op.JOB_CANCEL, Op.USER_ADD, Op.USER_PASSWD, Op.USER_REMOVE, Op.APIKEY_CREATE, Op.APIKEY_REVOKE, Op.INBOX_MARK,
                        Op.INBOX_DELETE, Op.INBOX_MOVE, Op.ROUTE_ADD, Op.ROUTE_REMOVE, Op.PHONEBOOK_ADD, Op.PHONEBOOK_REMOVE, Op.COVER_PUT,
                        Op.MAILBOX_ADD, Op.MAILBOX_REMOVE, Op.MAILBOX_MEMBER_ADD, Op.MAILBOX_MEMBER_REMOVE);
    }

    @Test
    void onlyInfoAndLoginWorkWithoutASession() {
        assertThat(EnumSet.allOf(Op.class).stream().filter(op -> !op.needsSession())).containsExactlyInAnyOrder(Op.INFO, Op.LOGIN);
    }
}
