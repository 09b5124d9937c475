package dev.faxlan.server.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpaceTest {
    @TempDir
    Path dir;

    @Test
    void theReserveRefusesUploadsThatWouldUseItAndDefaultsToTheSmallerOf256MiBAnd5Percent() throws Exception {
        AtomicLong free = new AtomicLong(10_000);
        DiskSpace disk = new DiskSpace.FileSystem(free::get, 4_000);
        disk.require(6_000, "an upload of 6000 bytes");
        assertThat(catchThrowableOfType(() -> disk.require(6_001, "an upload of 6001 bytes"), CpiException.class).code())
                .isEqualTo(ErrorCode.DISK_FULL);
        assertThat(disk.low()).isFalse();
        free.set(3_999);
        assertThat(disk.low()).isTrue();
        assertThat(DiskSpace.defaultReserve(20L << 20)).isEqualTo((20L << 20) / 100 * 5);
        assertThat(DiskSpace.defaultReserve(1L << 40)).isEqualTo(256L << 20);
        assertThatThrownBy(() -> new DiskSpace.FileSystem(free::get, -1)).hasMessageContaining("must not be negative, not -1");
    }

    @Test
    void severalFileSystemsRefuseWhatAnyOfThemHasNoRoomForAndTheTightestSpeaks() {
        AtomicLong data = new AtomicLong(10_000);
        AtomicLong spool = new AtomicLong(50_000);
        DiskSpace both = new DiskSpace.Several(List.of(new DiskSpace.FileSystem(data::get, 4_000), new DiskSpace.FileSystem(spool::get, 1_000)));
        assertThat(both.free()).as("the data directory's has the least room above its reserve").isEqualTo(10_000);
        assertThat(both.reserve()).isEqualTo(4_000);
        assertThat(both.refusal(6_001, "an upload of 6001 bytes")).hasValueSatisfying(m -> assertThat(m).contains("10000 bytes free").contains("4000"));
        assertThat(both.refusal(6_000, "an upload of 6000 bytes")).isEmpty();

        spool.set(5_000);
        assertThat(both.free()).as("now the spool's").isEqualTo(5_000);
        assertThat(both.refusal(4_001, "an upload of 4001 bytes")).hasValueSatisfying(m -> assertThat(m).contains("5000 bytes free").contains("1000"));
        assertThat(both.low()).isFalse();
        spool.set(999);
        assertThat(both.low()).isTrue();
        assertThat(both.message("an upload")).contains("999 bytes free, less than the 1000");
    }

    @Test
    void directoriesOnOneFileSystemAreWatchedOnce() throws Exception {
        DiskSpace one = DiskSpace.of(List.of(dir, dir.resolve(".")), 123);
        assertThat(one).isInstanceOf(DiskSpace.FileSystem.class);
        assertThat(one.reserve()).isEqualTo(123);
        assertThat(DiskSpace.of(List.of(dir), -1).reserve()).as("the default").isEqualTo(DiskSpace.defaultReserve(dir.getFileSystem().provider()
                .getFileStore(dir).getTotalSpace()));
    }
}
