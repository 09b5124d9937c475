package dev.faxlan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.sdk.FaxlanException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FetchCommandTest {
    @Test
    void theFormatOptionWinsElseTheExtensionElseTiff() {
        assertThat(FetchCommand.format("PNG", Path.of("fax"))).isEqualTo("png");
        assertThat(FetchCommand.format("PNG", Path.of("fax.png"))).isEqualTo("png");
        assertThat(FetchCommand.format("tif", Path.of("fax"))).isEqualTo("tiff");
        assertThat(FetchCommand.format(null, Path.of("Fax.PDF"))).isEqualTo("pdf");
        assertThat(FetchCommand.format(null, Path.of("fax.png"))).isEqualTo("png");
        assertThat(FetchCommand.format(null, Path.of("fax.tif"))).isEqualTo("tiff");
        assertThat(FetchCommand.format(null, Path.of("fax"))).isEqualTo("tiff");
    }

    @Test
    void aFormatThatContradictsTheExtensionIsAUsageError() {
        assertThatThrownBy(() -> FetchCommand.format("tiff", Path.of("x.pdf")))
                .isInstanceOfSatisfying(FaxlanException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
        assertThatThrownBy(() -> FetchCommand.format("png", Path.of("x.tif")))
                .isInstanceOfSatisfying(FaxlanException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
    }

    @Test
    void anUnknownFormatIsAUsageError() {
        assertThatThrownBy(() -> FetchCommand.format("gif", Path.of("fax.gif")))
                .isInstanceOfSatisfying(FaxlanException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
    }
}
