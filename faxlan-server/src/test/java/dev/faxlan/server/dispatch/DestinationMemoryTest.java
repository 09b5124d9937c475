package dev.faxlan.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.lines.Media;
import dev.faxlan.lines.MediaPolicy;
import dev.faxlan.server.MutableClock;
import dev.faxlan.server.storage.Database;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-destination media memory on embedded H2, with time moved by hand. */
class DestinationMemoryTest {
    private static final String NUMBER = "+4930123456";
    @TempDir
    Path dataDir;
    private Database db;
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private DestinationMemory memory;

    @BeforeEach
    void open() {
        db = Database.embedded(dataDir);
        memory = new DestinationMemory(db, clock, Duration.ofHours(24));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aNumberWithoutMemoryGetsThePolicyAsConfigured() throws Exception {
        DestinationMemory.Plan p = memory.plan(NUMBER, MediaPolicy.T38_THEN_G711);
        assertThat(p.policy()).isEqualTo(MediaPolicy.T38_THEN_G711);
        assertThat(p.why()).isEqualTo("over T.38, then G.711 if that fails (policy t38-then-g711)");
    }

    @Test
    void aNumberWhoseT38FailedStartsWithG711UntilTheMemoryExpires() throws Exception {
        memory.failed(NUMBER, Media.T38, "488 Not Acceptable Here");
        clock.advance(Duration.ofHours(23));
        DestinationMemory.Plan p = memory.plan(NUMBER, MediaPolicy.T38_THEN_G711);
        assertThat(p.first()).isEqualTo(Media.G711);
        assertThat(p.policy()).isEqualTo(MediaPolicy.G711_THEN_T38);
        assertThat(p.why()).startsWith("over G.711, then T.38 if that fails (policy t38-then-g711): T.38 failed to +4930123456 at ")
                .contains("(488 Not Acceptable Here), remembered until ");
        // Another number is not affected.
        assertThat(memory.plan("+4930999999", MediaPolicy.T38_THEN_G711).first()).isEqualTo(Media.T38);

        clock.advance(Duration.ofHours(1));
        assertThat(memory.plan(NUMBER, MediaPolicy.T38_THEN_G711).policy()).isEqualTo(MediaPolicy.T38_THEN_G711);
        assertThat(memory.purge()).isEqualTo(1);
        assertThat(memory.purge()).isZero();
    }

    @Test
    void theReverseToo_aNumberWhoseAudioFailedStartsWithT38() throws Exception {
        memory.failed(NUMBER, Media.G711, "failed before page 1: DCS not answered");
        assertThat(memory.plan(NUMBER, MediaPolicy.G711_THEN_T38).policy()).isEqualTo(MediaPolicy.T38_THEN_G711);
        assertThat(memory.plan(NUMBER, MediaPolicy.T38_THEN_G711).policy()).isEqualTo(MediaPolicy.T38_THEN_G711);
    }

    @Test
    void singleMediaPoliciesAreNeverReordered() throws Exception {
        memory.failed(NUMBER, Media.T38, "488 Not Acceptable Here");
        assertThat(memory.plan(NUMBER, MediaPolicy.T38).policy()).isEqualTo(MediaPolicy.T38);
        assertThat(memory.plan(NUMBER, MediaPolicy.T38).why()).isEqualTo("over T.38 (policy t38)");
        assertThat(memory.plan(NUMBER, MediaPolicy.G711).policy()).isEqualTo(MediaPolicy.G711);
    }

    @Test
    void theLatestFailureReplacesTheEarlierOneAndRestartsItsTime() throws Exception {
        memory.failed(NUMBER, Media.T38, "488 Not Acceptable Here");
        clock.advance(Duration.ofHours(20));
        memory.failed(NUMBER, Media.G711, "failed before page 1");
        clock.advance(Duration.ofHours(20));
        assertThat(memory.plan(NUMBER, MediaPolicy.G711_THEN_T38).first()).isEqualTo(Media.T38);
    }

    @Test
    void deliveryOnTheRememberedMediaForgetsItsFailureButNotTheOther() throws Exception {
        memory.failed(NUMBER, Media.T38, "488 Not Acceptable Here");
        memory.delivered(NUMBER, Media.G711); // the fallback worked: T.38 stays remembered as failed
        assertThat(memory.plan(NUMBER, MediaPolicy.T38_THEN_G711).first()).isEqualTo(Media.G711);
        memory.delivered(NUMBER, Media.T38); // a T.38 call went through after all
        assertThat(memory.plan(NUMBER, MediaPolicy.T38_THEN_G711).first()).isEqualTo(Media.T38);
    }

    @Test
    void theMemoryOutlivesTheDatabaseBeingClosedAndOpenedAgain() throws Exception {
        memory.failed(NUMBER, Media.T38, "606 Not Acceptable");
        db.close();
        db = Database.embedded(dataDir);
        memory = new DestinationMemory(db, clock, Duration.ofHours(24));
        assertThat(memory.plan(NUMBER, MediaPolicy.T38_THEN_G711).first()).isEqualTo(Media.G711);
    }

    @Test
    void aZeroMemoryRemembersNothingAndAnOverlongOneIsRefused() throws Exception {
        DestinationMemory none = new DestinationMemory(db, clock, Duration.ZERO);
        none.failed(NUMBER, Media.T38, "488 Not Acceptable Here");
        assertThat(none.plan(NUMBER, MediaPolicy.T38_THEN_G711).first()).isEqualTo(Media.T38);
        assertThatThrownBy(() -> new DestinationMemory(db, clock, Duration.ofDays(366)))
                .hasMessageContaining("the media memory must be 0 to 365 days");
    }
}
