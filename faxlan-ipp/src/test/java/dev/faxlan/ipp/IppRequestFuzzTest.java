package dev.faxlan.ipp;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.hp.jipp.encoding.IppPacket;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The IPP service's request handling on hostile bytes, as an HTTP body reaches it: decoded by JIPP
 * within the attribute limit, then handled for a user. Every input gets a response that encodes,
 * with an error status for what is malformed; nothing throws.
 */
class IppRequestFuzzTest {
    private static final URI PRINTER = URI.create("ipp://127.0.0.1:8631/ipp/faxout");
    private static final Path SPOOL;
    private static final FaxOutPrinter PRINTER_SERVICE;

    static {
        try {
            SPOOL = Files.createTempDirectory("ipp-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PRINTER_SERVICE = new FaxOutPrinter("fuzz", "", SPOOL, 64 * 1024, false, Clock.systemUTC());
    }

    @DictionaryEntries({"attributes-charset", "attributes-natural-language", "printer-uri", "utf-8", "destination-uris", "destination-uri",
        "tel:0000", "job-id", "job-uri", "document-format", "application/pdf", "last-document", "requested-attributes", "which-jobs", "all"})
    @FuzzTest(maxDuration = "30s")
    void handle(byte[] data) throws IOException {
        IppService.Decoded decoded = IppService.decode(new ByteArrayInputStream(data));
        IppPacket response = decoded.request() == null ? FaxOutPrinter.malformed(decoded.problem())
                : PRINTER_SERVICE.handle(decoded.request(), decoded.document(), PRINTER, new FakeAccount("fuzz"));
        if (decoded.request() == null && response.getCode() < 0x0400) throw new AssertionError("malformed input answered with success");
        response.write(new ByteArrayOutputStream());
    }
}
