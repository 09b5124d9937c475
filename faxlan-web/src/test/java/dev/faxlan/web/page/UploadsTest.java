package dev.faxlan.web.page;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UploadsTest {
    @Test
    void aFileNameKeepsOnlyItsLastPartSoNoUploadNamesAPathOfItsOwn() {
        assertThat(Uploads.safeName("../../etc/passwd")).isEqualTo("passwd");
        assertThat(Uploads.safeName("C:\\Users\\anna\\Letter.pdf")).isEqualTo("Letter.pdf");
        assertThat(Uploads.safeName("/abs/path/scan.tif")).isEqualTo("scan.tif");
        assertThat(Uploads.safeName("offer.pdf")).isEqualTo("offer.pdf");
    }

    @Test
    void dotsControlCharactersAndNothingGiveNoName() {
        assertThat(Uploads.safeName("..")).isEmpty();
        assertThat(Uploads.safeName("a/.")).isEmpty();
        assertThat(Uploads.safeName(null)).isEmpty();
        assertThat(Uploads.safeName("bad\u0000\nname.txt")).isEqualTo("badname.txt");
    }

    @Test
    void aVeryLongNameKeepsItsEndWithTheExtension() {
        String name = "x".repeat(500) + ".pdf";
        assertThat(Uploads.safeName(name)).hasSize(200).endsWith(".pdf");
    }
}
