package dev.faxlan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One rule for the files the command writes: the permissions the umask gives a new file, whatever the format. */
class FilesWrittenTest {
    @TempDir
    Path dir;

    @Test
    void tiffPdfAndPngAllGetTheUmasksPermissions() throws Exception {
        Set<PosixFilePermission> umask = Files.getPosixFilePermissions(Files.createFile(dir.resolve("reference")));
        Path letter = Files.writeString(dir.resolve("letter.txt"), "a letter\n");
        Path tif = dir.resolve("fax.tif");
        assertThat(Main.run("convert", letter.toString(), "--out", tif.toString())).isZero();
        assertThat(Main.run("view", tif.toString(), "--out", dir.resolve("fax.pdf").toString())).isZero();
        assertThat(Main.run("view", tif.toString(), "--out", dir.resolve("page.png").toString(), "--page", "1")).isZero();
        assertThat(Main.run("cover", "render", "classic", "--out", dir.resolve("cover.png").toString())).isZero();
        for (String f : new String[] {"fax.tif", "fax.pdf", "page-1.png", "cover.png"}) {
            Path p = dir.resolve(f);
            if (!Files.exists(p) && f.equals("page-1.png")) p = dir.resolve("page.png");
            assertThat(Files.getPosixFilePermissions(p)).as(f).isEqualTo(umask);
        }
    }
}
