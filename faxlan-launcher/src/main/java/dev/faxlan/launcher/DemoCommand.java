package dev.faxlan.launcher;

import dev.faxlan.documents.view.FaxViewer;
import dev.faxlan.cli.Views;
import dev.faxlan.protocol.Fingerprint;
import dev.faxlan.sdk.Alert;
import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.InboxFax;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.JobState;
import dev.faxlan.sdk.SubmitRequest;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(mixinStandardHelpOptions = true, name = "demo", description = {"Send and receive a sample fax on an embedded server, then exit.", "Starts a server on a free port, sends a fax to 0000 over the built-in loopback line (real SIP and T.38 on 127.0.0.1, or G.711 audio over RTP with --audio), receives it and shows the alerts."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: a new temporary one)")
    Path data;

    @Option(names = "--audio", description = "carry the fax as G.711 audio over RTP (the audio modems) instead of T.38")
    boolean audio;

    @Override
    public Integer call() throws Exception {
        Path dir = data != null ? data : Files.createTempDirectory("faxlan-demo");
        byte[] pwBytes = new byte[12];
        new SecureRandom().nextBytes(pwBytes);
        String adminPassword = HexFormat.of().formatHex(pwBytes);
        step("starting an embedded server (data in " + dir + ")");
        ServerConfig config = ServerConfig.defaults().withDataDir(dir).withBind(new InetSocketAddress("127.0.0.1", 0)).withName("faxlan-demo")
                .withAdminPassword(adminPassword);
        if (audio) {
            // The loopback line as a G.711 line: SIP offers audio only, and the fax runs on the audio modems over RTP.
            java.util.Properties lines = new java.util.Properties();
            lines.setProperty("line.loopback.policy", "g711");
            config = config.withLines(dev.faxlan.lines.LinesConfig.parse(lines));
        }
        try (FaxlanServer server = FaxlanServer.start(config)) {
            step("server listening on udp " + server.address() + ", identity " + Fingerprint.format(server.fingerprint()));
            step("the loopback line 0000 carries faxes " + (audio ? "as G.711 audio over RTP (policy g711)" : "over T.38 (policy t38)"));
            Path doc = dir.resolve("demo-letter.txt");
            Files.writeString(doc, "faxlan demo\n\nThis page travelled from the client to the server over CPI (QUIC on UDP).\n");
            try (FaxlanClient client = FaxlanClient.builder().server(server.address()).user("admin").password(adminPassword.toCharArray())
                    .timeout(Duration.ofSeconds(20)).pin(server.fingerprint()).build()) {
                step("logged in as admin (role " + client.login() + ")");
                LinkedBlockingQueue<Alert> alerts = new LinkedBlockingQueue<>();
                AlertSubscription sub = client.subscribe("demo", null, alerts::add);
                long until = System.currentTimeMillis() + 10_000;
                while (sub.lastDelivered() < 0 && System.currentTimeMillis() < until) Thread.sleep(20);
                step("subscribed to alerts (FaxAlert)");
                List<Job> jobs = client.submit(new SubmitRequest(List.of("0000"), List.of(doc), "faxlan demo", null, "fine", null));
                Job job = jobs.get(0);
                step("submitted " + doc.getFileName() + " to 0000: job " + job.id() + " is " + job.state());
                String state = job.state();
                Alert routed = null;
                // An audio fax runs in real time on the modems: a page takes tens of seconds.
                long limit = audio ? 300_000 : 120_000;
                long deadline = System.currentTimeMillis() + limit;
                while (!JobState.of(state).finished()) {
                    Alert a = alerts.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                    if (a == null) {
                        System.err.println("faxlan: demo: job " + job.id() + " did not finish within " + limit / 1000 + " s (last state " + state + ")");
                        return 1;
                    }
                    step("alert: " + Views.alertLine(a));
                    if ("fax.received".equals(a.type())) routed = a;
                    if (a.body().get("state") instanceof String s && Long.valueOf(job.id()).equals(((Number) a.body().get("job")).longValue())) state = s;
                }
                if (JobState.of(state) != JobState.DONE) {
                    System.err.println("faxlan: demo: the fax was not sent: " + client.job(job.id()).reason());
                    return 1;
                }
                // The router files it in a mailbox and alerts everyone who can see that mailbox: the admin too.
                for (long end = System.currentTimeMillis() + 30_000; routed == null && System.currentTimeMillis() < end; ) {
                    Alert a = alerts.poll(Math.max(1, end - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                    if (a != null && "fax.received".equals(a.type())) {
                        routed = a;
                        step("alert: " + Views.alertLine(a));
                    }
                }
                if (routed == null) {
                    System.err.println("faxlan: demo: no alert for the received fax within 30 s");
                    return 1;
                }
                // The received fax is fetched over CPI like any client would; the demo knows nothing of the server's files.
                long faxId = ((Number) routed.body().get("fax")).longValue();
                Path tiff = dir.resolve("received-fax-" + faxId + ".tif");
                InboxFax fax = client.fetch(faxId, tiff, bytes -> {});
                Path pdf = dir.resolve("received-fax-" + fax.id() + ".pdf");
                FaxViewer.toPdf(tiff, pdf);
                step("received fax " + fax.id() + " on line " + fax.line() + ": " + fax.pages() + " page(s) from " + fax.csid() + " to "
                        + fax.did() + ", " + fax.result() + ", in mailbox " + fax.mailbox());
                step("stored as TIFF-F: " + tiff);
                step("as PDF to look at: " + pdf);
            }
        }
        step("done; the data directory is " + dir);
        return 0;
    }

    private static void step(String s) {
        System.out.println("demo: " + s);
        System.out.flush();
    }
}
