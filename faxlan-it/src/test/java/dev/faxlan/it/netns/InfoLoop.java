package dev.faxlan.it.netns;

import dev.faxlan.sdk.FaxlanClient;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A legitimate client for the namespace flood test, run as its own JVM in the client namespace: asks the
 * server for {@code info} again and again until the file {@code --stop} exists. Every
 * {@code --fresh-every}-th call uses a new client (a new QUIC connection, with its Retry and handshake);
 * the others use one long-lived client. Prints one line per call, {@code START_MS MICROS ok|fresh|error
 * MESSAGE}, then {@code done}. Exit 0 when every call succeeded.
 */
public final class InfoLoop {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        Path stop = Path.of(args[2]);
        long freshEveryMs = Long.parseLong(args[3]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int errors = 0;
        try (FaxlanClient steady = FaxlanClient.builder().server(host, port).timeout(Duration.ofSeconds(30)).build()) {
            long lastFresh = System.currentTimeMillis();
            for (long i = 1; !Files.exists(stop); i++) {
                long at = System.currentTimeMillis();
                boolean fresh = i > 1 && at - lastFresh >= freshEveryMs;
                if (fresh) lastFresh = at;
                long t0 = System.nanoTime();
                try {
                    if (fresh) {
                        try (FaxlanClient once = FaxlanClient.builder().server(host, port).pin(steady.pin()).timeout(Duration.ofSeconds(30)).build()) {
                            once.info();
                        }
                    } else {
                        steady.info();
                    }
                    out.println(at + " " + (System.nanoTime() - t0) / 1000 + (fresh ? " fresh" : " ok"));
                } catch (RuntimeException e) {
                    errors++;
                    out.println(at + " " + (System.nanoTime() - t0) / 1000 + " error " + e);
                }
            }
        }
        out.println("done");
        System.exit(errors == 0 ? 0 : 1);
    }
}
