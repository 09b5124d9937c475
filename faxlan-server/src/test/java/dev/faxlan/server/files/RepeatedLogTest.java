package dev.faxlan.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RepeatedLogTest {
    @Test
    void aRecurringErrorIsLoggedOncePerIntervalWithTheCountOfTheOthers() {
        Logger logger = (Logger) LoggerFactory.getLogger("repeated-log-test");
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        AtomicLong now = new AtomicLong(1_000_000);
        RepeatedLog log = new RepeatedLog(logger, 60_000, now::get);
        IOException full = new IOException("No space left on device");
        for (int i = 0; i < 490_000; i++) {
            log.error("disk-full", "writing upload data failed", full);
            if (i % 10_000 == 0) now.addAndGet(1_000); // 49 s in all
        }
        assertThat(seen.list).hasSize(1);
        assertThat(seen.list.get(0).getThrowableProxy()).as("the stack trace once").isNotNull();
        now.addAndGet(60_000);
        assertThat(log.error("disk-full", "writing upload data failed", full)).isTrue();
        assertThat(seen.list).hasSize(2);
        assertThat(seen.list.get(1).getFormattedMessage()).contains("489999 more like it").contains("No space left on device");
        assertThat(seen.list.get(1).getThrowableProxy()).isNull();
        assertThat(log.error("other", "something else failed", null)).as("another kind is logged at once").isTrue();
    }
}
