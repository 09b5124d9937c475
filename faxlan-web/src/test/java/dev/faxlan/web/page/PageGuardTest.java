package dev.faxlan.web.page;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PageGuardTest {
    @Test
    void everyPathButTheRestApiIsGuarded() {
        assertThat(PageGuard.guarded("/outbox")).isTrue();
        assertThat(PageGuard.guarded("/a-page-added-later")).isTrue();
        assertThat(PageGuard.guarded("/apiary")).isTrue();
        assertThat(PageGuard.guarded("/api")).isFalse();
        assertThat(PageGuard.guarded("/api/v1/faxes")).isFalse();
    }

    @Test
    void thePolicyAllowsNoInlineScriptAndNoFraming() {
        assertThat(PageGuard.CSP).contains("script-src 'self'", "frame-ancestors 'none'", "object-src 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "*");
    }
}
