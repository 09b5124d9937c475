package dev.faxlan.bench.memory;

import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One process of alert clients for {@link ServerMemoryBench}: N SDK clients, each with its own QUIC
 * connection, logged in with the API key read from the first line of standard input (never the
 * command line), each holding one alert subscription. Each client connects and subscribes before the
 * next one starts (the server admits a bounded number of handshakes at once). Prints
 * {@code subscribed N} once all are subscribed and {@code alerted N} once every client has received an
 * alert; exits when its standard input closes.
 * Keeps its clients referenced, so none is collected while the bench measures.
 *
 * <p>Usage: {@code AlertClients --server HOST:PORT --count N --name NAME} (NAME prefixes the subscribers' names)
 */
public final class AlertClients {
    public static void main(String[] args) throws Exception {
        String host = null;
        int port = 0;
        int count = 0;
        String name = "alerts";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--server" -> {
                    String[] hp = args[++i].split(":");
                    host = hp[0];
                    port = Integer.parseInt(hp[1]);
                }
                case "--count" -> count = Integer.parseInt(args[++i]);
                case "--name" -> name = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        char[] key = in.readLine().strip().toCharArray();
        List<FaxlanClient> clients = new ArrayList<>();
        List<AlertSubscription> subscriptions = new ArrayList<>();
        AtomicInteger alerted = new AtomicInteger();
        int total = count;
        for (int c = 0; c < count; c++) {
            FaxlanClient client = FaxlanClient.builder().server(host, port).apiKey(key).timeout(Duration.ofSeconds(60)).build();
            boolean[] first = {true};
            AlertSubscription s = client.subscribe(name + "-" + c, null, alert -> {
                // One listener thread per subscription: the flag is this client's own.
                if (first[0]) {
                    first[0] = false;
                    if (alerted.incrementAndGet() == total) System.out.println("alerted " + total);
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (s.lastDelivered() < 0) {
                if (s.failure() != null) throw new IllegalStateException("subscription " + c + " failed", s.failure());
                if (System.nanoTime() > deadline) throw new IllegalStateException("subscription " + c + " not made within 60 s");
                Thread.sleep(5);
            }
            clients.add(client);
            subscriptions.add(s);
            if ((c + 1) % 50 == 0) System.err.println(name + ": " + (c + 1) + " subscribed");
        }
        System.out.println("subscribed " + count);
        System.out.flush();
        while (in.read() >= 0) {
            // holds the subscriptions until the bench closes our standard input
        }
        // Ending the process drops every connection at once; the server lets them go at QUIC's idle timeout.
        System.exit(0);
    }
}
