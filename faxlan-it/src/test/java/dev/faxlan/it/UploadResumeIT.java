package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An upload interrupted by a server restart resumes at the server's offset instead of starting over. */
class UploadResumeIT {
    @TempDir
    Path dir;

    @Test
    void uploadSurvivesServerRestartAndResumes() throws Exception {
        Path file = dir.resolve("big.bin");
        byte[] block = new byte[1 << 20];
        Random rnd = new Random(7);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 24; i++) {
                rnd.nextBytes(block);
                out.write(block);
            }
        }
        ServerConfig cfg = ServerConfig.defaults().withDataDir(dir.resolve("data")).withBind(new InetSocketAddress("127.0.0.1", 0))
                .withName("resume").withAdminPassword("resume-admin-1");
        FaxlanServer[] server = {FaxlanServer.start(cfg)};
        int port = server[0].port();
        List<Long> afterRestart = new CopyOnWriteArrayList<>();
        AtomicBoolean restarted = new AtomicBoolean();
        CountDownLatch restartDone = new CountDownLatch(1);
        try (FaxlanClient client = FaxlanClient.builder().server(server[0].address()).user("admin").password("resume-admin-1".toCharArray())
                .timeout(Duration.ofSeconds(8)).build()) {
            String sha = client.upload(file, sent -> {
                if (restarted.get()) {
                    afterRestart.add(sent);
                } else if (sent >= (6L << 20) && restarted.compareAndSet(false, true)) {
                    // Stall this client's event loop while the server goes down and comes back on the same port.
                    Thread t = new Thread(() -> {
                        server[0].close();
                        try {
                            server[0] = FaxlanServer.start(cfg.withBind(new InetSocketAddress("127.0.0.1", port)));
                        } catch (Exception e) {
                            e.printStackTrace();
                            throw new IllegalStateException(e);
                        }
                        restartDone.countDown();
                    });
                    t.start();
                    try {
                        restartDone.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            assertThat(sha).isEqualTo(FaxlanClient.sha256(file));
            assertThat(restarted).isTrue();
            assertThat(afterRestart).isNotEmpty();
            // Progress reports absolute offsets: after the restart they continue from what the server kept.
            assertThat(afterRestart.get(0)).isGreaterThan(1L << 20);
            Path stored = dir.resolve("data/spool/docs").resolve(sha);
            assertThat(FaxlanClient.sha256(stored)).isEqualTo(sha);
        } finally {
            server[0].close();
        }
    }
}
