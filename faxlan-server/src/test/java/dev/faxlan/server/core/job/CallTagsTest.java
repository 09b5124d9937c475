package dev.faxlan.server.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallTagsTest {
    @Test
    void aTagIsReadBackFromTheCallIdsTheLinesBuildWithIt() {
        String tag = CallTags.next();
        assertThat(tag).matches("fx[0-9a-f]{32}");
        assertThat(CallTags.next()).isNotEqualTo(tag);
        assertThat(CallTags.of(tag + "-1f@192.0.2.1")).contains(tag);
        assertThat(CallTags.of(tag + "-7fffffffffffffff@[2001:db8::1]")).contains(tag);
    }

    @Test
    void otherCallIdsHaveNoTag() {
        String tag = CallTags.next();
        assertThat(CallTags.of(null)).isEmpty();
        assertThat(CallTags.of("a84b4c76e66710@pc33.atlanta.example.com")).isEmpty();
        assertThat(CallTags.of(tag + "@192.0.2.1")).as("no call suffix").isEmpty();
        assertThat(CallTags.of(tag + "-1f")).as("no host").isEmpty();
        assertThat(CallTags.of(tag.toUpperCase() + "-1f@h")).isEmpty();
        assertThat(CallTags.of(tag + "-1f@" + "h".repeat(300))).as("too long to be stored").isEmpty();
    }
}
