package dev.faxlan.it.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.server.spool.Spool;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, acceptance: a 50 MB upload completes under 5% loss. A router drops 5% of UDP packets at
 * random both ways; {@code faxlan submit} of a 50 MB file from the client namespace must end with one
 * job and the document stored under its verified SHA-256.
 */
class NetnsBigUploadIT {
    static final int MEGABYTES = 50;
    static final String USER = "big";
    static final String PASSWORD = "big-upload-pw-1";

    @TempDir
    static Path dir;
    static Netns net;
    static Topologies.Routed topo;
    static ServerProcess server;

    @BeforeAll
    static void setUp() throws Exception {
        Netns.requireEnvironment();
        net = new Netns();
        topo = Topologies.routed(net);
        server = ServerProcess.start(net, topo.server(), dir, "netns-big");
        server.addUser(dir.resolve("admin-xdg"), USER, PASSWORD);
        net.nft(topo.router(), Topologies.randomUdpLoss(5));
    }

    @AfterAll
    static void tearDown() {
        if (net != null) net.close();
    }

    @Test
    void fiftyMegabyteUploadCompletesUnderFivePercentLoss() throws Exception {
        // A one-page fax TIFF padded with random bytes: a document submit's own check accepts, that compresses to nothing.
        Path file = dir.resolve("big.tif");
        byte[] block = new byte[1 << 20];
        Random rnd = new Random(50);
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] tiff = dev.faxlan.engine.tiff.TiffWriter.toBytes(List.of(new dev.faxlan.engine.image.BilevelPage(1728, 100, 204, 196)),
                    dev.faxlan.engine.tiff.TiffWriteOptions.of(dev.faxlan.engine.tiff.TiffEncoding.G4));
            out.write(tiff);
            for (int i = 0; i < MEGABYTES; i++) {
                rnd.nextBytes(block);
                out.write(block);
            }
        }
        String sha = Spool.sha256(file);
        Map<String, String> env = ServerProcess.clientEnv(dir.resolve("client-xdg"), USER, PASSWORD);
        long t0 = System.nanoTime();
        Netns.Result r = net.exec(topo.client(), Duration.ofSeconds(600), env, Netns.faxlan("submit", "--server",
                Topologies.SERVER_IP + ":" + ServerProcess.PORT, "--to", "+15550100", "--at", ServerProcess.LATER, "--subject", "big", "--timeout", "60", file.toString()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.exit()).as("submit: %s %s", r.out(), r.err()).isZero();
        assertThat(r.out().strip()).matches("\\d+");
        System.out.printf("[netns-big] %d MB under 5%% loss in %.1f s (%.1f MB/s incl. client start and hashing)%n",
                MEGABYTES, seconds, MEGABYTES * 1.048576 / seconds);
        Path stored = server.data.resolve("spool/docs").resolve(sha);
        assertThat(stored).exists();
        assertThat(Spool.sha256(stored)).isEqualTo(sha);
    }
}
