package dev.faxlan.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.tiff.TiffReader;
import dev.faxlan.lines.CallOutcome;
import dev.faxlan.lines.CallResult;
import dev.faxlan.lines.Line;
import dev.faxlan.lines.Lines;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.ReceivedFaxes;
import dev.faxlan.testkit.ExternalTool;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server on a fresh data directory with no configuration sends a fax to 0000 and receives it, stored as TIFF-F.
 * The two tests run side by side: each has its own server on ports the system picks and its own data directory, and
 * spends its time waiting on a real-time call.
 */
class LoopbackLineServerTest {
    @TempDir
    Path dataDir;

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void theLoopbackLineDeliversAFaxFromAFreshDataDirectory() throws Exception {
        ServerConfig cfg = ServerConfig.defaults().withDataDir(dataDir).withBind(new InetSocketAddress("127.0.0.1", 0)).withAdminPassword("admin-pass");
        LinkedBlockingQueue<ReceivedFaxes.Fax> stored = new LinkedBlockingQueue<>();
        try (FaxlanServer server = FaxlanServer.start(cfg)) {
            server.inbound().addListener(stored::add);
            Line line = server.lines().lineFor("0000").orElseThrow();
            List<BilevelPage> pages = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                BilevelPage p = new BilevelPage(1728, 400, 204, 196);
                for (int y = 50 + i * 100; y < 80 + i * 100; y++) for (int x = 200; x < 1500; x++) p.setPixel(x, y, true);
                pages.add(p);
            }
            CallResult r = line.send("0000", pages, Lines.receiveOptions("")).get(120, TimeUnit.SECONDS);
            assertThat(r.outcome()).as("%s", r).isEqualTo(CallOutcome.SUCCESS);

            ReceivedFaxes.Fax fax = stored.poll(30, TimeUnit.SECONDS);
            assertThat(fax).isNotNull();
            assertThat(fax.line()).isEqualTo("loopback");
            assertThat(fax.calledNumber()).isEqualTo("0000");
            assertThat(fax.remoteIdent()).isEqualTo("0000");
            assertThat(fax.pages()).isEqualTo(2);
            assertThat(fax.result()).isEqualTo("OK");
            Path tiff = new Spool(dataDir.resolve("spool")).document(fax.sha256());
            assertThat(tiff).exists();
            assertThat(Files.size(tiff)).isEqualTo(fax.size());
            try (TiffReader reader = TiffReader.open(tiff)) {
                assertThat(reader.pageCount()).isEqualTo(2);
                for (int i = 0; i < 2; i++) assertThat(reader.readPage(i).page().firstDifferentRow(pages.get(i))).as("page %d", i + 1).isEqualTo(-1);
            }
            ExternalTool.require("tiffinfo", ExternalTool.LIBTIFF_TOOLS);
            ExternalTool.Result info = ExternalTool.run(List.of("tiffinfo", tiff.toString()));
            assertThat(info.exitCode()).as(info.all()).isZero();
            assertThat(info.all()).contains("Image Width: 1728").doesNotContain("Error").doesNotContain("Warning");
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aReceivedFaxOverThePageLimitIsCutOffAndItsFirstPagesKept() throws Exception {
        ServerConfig cfg = ServerConfig.defaults().withDataDir(dataDir).withBind(new InetSocketAddress("127.0.0.1", 0)).withAdminPassword("admin-pass")
                .withPageLimits(new ServerConfig.PageLimits(ServerConfig.PageLimits.DEFAULT.perJob(), 2));
        LinkedBlockingQueue<ReceivedFaxes.Fax> stored = new LinkedBlockingQueue<>();
        try (FaxlanServer server = FaxlanServer.start(cfg)) {
            server.inbound().addListener(stored::add);
            Line line = server.lines().lineFor("0000").orElseThrow();
            List<BilevelPage> pages = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                BilevelPage p = new BilevelPage(1728, 300, 204, 196);
                for (int y = 50 + i * 60; y < 80 + i * 60; y++) for (int x = 200; x < 1500; x++) p.setPixel(x, y, true);
                pages.add(p);
            }
            CallResult r = line.send("0000", pages, Lines.receiveOptions("")).get(120, TimeUnit.SECONDS);
            assertThat(r.outcome()).as("%s", r).isNotEqualTo(CallOutcome.SUCCESS);
            assertThat(r.pages()).as("%s", r).isLessThanOrEqualTo(2);

            ReceivedFaxes.Fax fax = stored.poll(30, TimeUnit.SECONDS);
            assertThat(fax).isNotNull();
            assertThat(fax.pages()).isEqualTo(2);
            try (TiffReader reader = TiffReader.open(new Spool(dataDir.resolve("spool")).document(fax.sha256()))) {
                assertThat(reader.pageCount()).isEqualTo(2);
                for (int i = 0; i < 2; i++) assertThat(reader.readPage(i).page().firstDifferentRow(pages.get(i))).as("page %d", i + 1).isEqualTo(-1);
            }
        }
    }
}
