package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.documents.convert.ConvertOptions;
import dev.faxlan.documents.convert.DocumentConverter;
import dev.faxlan.documents.cover.CoverPage;
import dev.faxlan.documents.cover.CoverTemplates;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.engine.tiff.TiffReader;
import dev.faxlan.sdk.Alert;
import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.InboxFax;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.SubmitRequest;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import dev.faxlan.documents.view.FaxViewer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fax service end to end over real sockets: a 3-page PDF with a cover page is submitted over CPI,
 * converted, sent as T.30 over T.38 on the SIP loopback line, received, routed to a mailbox, fetched,
 * and equal pixel for pixel to the pages rendered from the source; alerts come for both ends.
 */
class FaxServiceIT {
    @TempDir
    Path dir;

    private Path threePagePdf() throws Exception {
        Path pdf = dir.resolve("offer.pdf");
        try (PDDocument doc = new PDDocument()) {
            for (int i = 1; i <= 3; i++) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD), 28);
                    cs.newLineAtOffset(72, 700);
                    cs.showText("Offer, page " + i + " of 3");
                    cs.endText();
                    cs.addRect(72, 400 - i * 40, 300, 20 + i * 10);
                    cs.fill();
                }
            }
            doc.save(pdf.toFile());
        }
        return pdf;
    }

    @Test
    void aPdfWithACoverPageIsSentOverTheLoopbackLineAndArrivesPixelExact() throws Exception {
        ServerConfig cfg = ServerConfig.defaults().withDataDir(dir.resolve("data")).withBind(new InetSocketAddress("127.0.0.1", 0))
                .withName("service-it").withAdminPassword("service-admin-1");
        Path pdf = threePagePdf();
        try (FaxlanServer server = FaxlanServer.start(cfg);
                FaxlanClient admin = FaxlanClient.builder().server(server.address()).user("admin").password("service-admin-1".toCharArray())
                        .timeout(Duration.ofSeconds(20)).build()) {
            List<Alert> alerts = new CopyOnWriteArrayList<>();
            AlertSubscription sub = admin.subscribe("service-it", null, alerts::add);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sub.lastDelivered() >= 0);

            Job job = admin.submit(new SubmitRequest(List.of("0000"), List.of(pdf), "Our offer", "classic", "fine", null)).get(0);
            Awaitility.await().atMost(Duration.ofSeconds(180)).until(() -> admin.job(job.id()).finished());
            Job done = admin.job(job.id());
            assertThat(done.state()).as(done.reason()).isEqualTo("done");
            assertThat(done.reason()).startsWith("4 page(s) sent");

            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> alerts.stream().anyMatch(a -> a.type().equals("fax.received")));
            assertThat(alerts).filteredOn(a -> a.type().equals("job")).extracting(a -> a.body().get("state"))
                    .containsSubsequence("queued", "converting", "dialing", "sending", "done");
            Alert received = alerts.stream().filter(a -> a.type().equals("fax.received")).findFirst().orElseThrow();
            assertThat(received.body().get("mailbox")).isEqualTo("Unaddressed");

            InboxFax fax = admin.inbox("Unaddressed", false).get(0);
            assertThat(fax.pages()).isEqualTo(4);
            assertThat(fax.did()).isEqualTo("0000");
            Path tiff = dir.resolve("received.tif");
            admin.fetch(fax.id(), tiff, n -> {});

            // The source rendered here as the server renders it: same cover template and fields, same resolution.
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("to_fax", "0000");
            fields.put("from", "admin");
            fields.put("subject", "Our offer");
            CoverPage cover = new CoverPage(CoverTemplates.builtIn("classic"), fields, Clock.systemUTC());
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            new DocumentConverter(ConvertOptions.of(Resolution.FINE, PageSize.A4)).convert(List.of(pdf), cover, expected);
            List<DecodeResult> want = TiffReader.readAll(expected.toByteArray());
            List<DecodeResult> got = TiffReader.readAll(Files.readAllBytes(tiff));
            assertThat(got).hasSize(4);
            for (int i = 0; i < 4; i++) {
                assertThat(got.get(i).badLineCount()).isZero();
                assertThat(got.get(i).page().firstDifferentRow(want.get(i).page())).as("page %d", i + 1).isEqualTo(-1);
            }

            // And as PNG, the way 'faxlan fetch --format png' writes it: equal pixel for pixel to the source's pages drawn the same way.
            List<Path> pngs = FaxViewer.toPng(tiff, dir.resolve("received.png"), 0);
            assertThat(pngs).hasSize(4);
            for (int i = 0; i < 4; i++) {
                Path expectedPng = dir.resolve("expected-" + (i + 1) + ".png");
                FaxViewer.toPng(want.get(i).page(), expectedPng);
                BufferedImage a = ImageIO.read(pngs.get(i).toFile());
                BufferedImage b = ImageIO.read(expectedPng.toFile());
                assertThat(a.getWidth()).isEqualTo(b.getWidth());
                assertThat(a.getHeight()).isEqualTo(b.getHeight());
                assertThat(a.getRGB(0, 0, a.getWidth(), a.getHeight(), null, 0, a.getWidth()))
                        .as("PNG of page %d", i + 1).isEqualTo(b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth()));
            }
        }
    }
}
