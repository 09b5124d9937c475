package dev.faxlan.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class ExternalToolTest {

    @Test
    void missingToolSkipsOutsideCi() {
        assertThatThrownBy(() -> ExternalTool.require("faxlan-no-such-tool", "nothing", false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("faxlan-no-such-tool not found on PATH");
    }

    @Test
    void missingToolFailsOnCi() {
        assertThatThrownBy(() -> ExternalTool.require("faxlan-no-such-tool", "nothing", true))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("CI=true");
    }

    @Test
    void findsToolsOnPath() {
        assertThat(ExternalTool.require("sh", "a shell", true)).isExecutable();
    }
}
