package dev.faxlan.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorCodeTest {

    @Test
    void numbersAreUniqueAndPositive() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::number).collect(Collectors.toSet())).hasSize(ErrorCode.values().length);
        assertThat(ErrorCode.values()).allSatisfy(c -> assertThat(c.number()).isPositive());
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeHasAMeaningAndMapsBackFromItsName(ErrorCode code) {
        assertThat(code.meaning()).isNotBlank();
        assertThat(ErrorCode.fromWire(code.name())).isSameAs(code);
    }

    @Test
    void codesFromANewerPeerBecomeInternal() {
        assertThat(ErrorCode.fromWire("QUOTA_EXCEEDED")).isEqualTo(ErrorCode.INTERNAL);
        assertThat(ErrorCode.fromWire("bad_request")).isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void onlyTransientConditionsAreRetryable() {
        assertThat(Arrays.stream(ErrorCode.values()).filter(ErrorCode::retryable)).containsExactlyInAnyOrder(
                ErrorCode.AUTH_THROTTLED, ErrorCode.SESSION_EXPIRED, ErrorCode.STORAGE_FULL, ErrorCode.BUSY, ErrorCode.INTERNAL);
    }
}
