package dev.faxlan.server.cpi.operation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.server.service.Caller;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.server.core.Problem;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CPI error code of each refusal of the core: what clients have always been answered. */
class ProblemCodeTest {

    @Test
    void eachProblemHasTheErrorCodeClientsKnow() {
        Map<Problem, ErrorCode> expected = new EnumMap<>(Problem.class);
        expected.put(Problem.INVALID, ErrorCode.BAD_REQUEST);
        expected.put(Problem.NOT_FOUND, ErrorCode.NOT_FOUND);
        expected.put(Problem.ALREADY_EXISTS, ErrorCode.ALREADY_EXISTS);
        expected.put(Problem.CONFLICT, ErrorCode.CONFLICT);
        expected.put(Problem.NOT_PERMITTED, ErrorCode.PERMISSION_DENIED);
        expected.put(Problem.TOO_LARGE, ErrorCode.UPLOAD_TOO_LARGE);
        expected.put(Problem.HASH_MISMATCH, ErrorCode.UPLOAD_HASH_MISMATCH);
        expected.put(Problem.DISK_FULL, ErrorCode.DISK_FULL);
        expected.put(Problem.UNKNOWN_DOCUMENT, ErrorCode.DOCUMENT_UNKNOWN);
        expected.put(Problem.WRONG_CREDENTIALS, ErrorCode.AUTH_FAILED);
        expected.put(Problem.THROTTLED, ErrorCode.AUTH_THROTTLED);
        expected.put(Problem.NOT_LOGGED_IN, ErrorCode.SESSION_EXPIRED);

        Map<Problem, ErrorCode> actual = new EnumMap<>(Problem.class);
        for (Problem p : Problem.values()) actual.put(p, CpiService.code(p));

        assertThat(actual).isEqualTo(expected);
    }
}
