package dev.faxlan.it.netns;

import dev.faxlan.protocol.Fingerprint;
import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.SubmitRequest;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client session through a firewall, as its own JVM in the client namespace (one JVM start instead of
 * one per command): the steps of the firewall tests in order, each printed as a JSON line
 * {@code {"step":..,"ok":true}} or {@code {"step":..,"ok":false,"exit":N,"error":..}}; it stops at the first
 * failure and exits with that failure's exit code (PRODUCT.md §3), 0 when every step worked.
 *
 * <ol>
 *   <li>{@code add}: the server's info by address with no pin, as {@code servers --add}; its identity is the
 *       one the TLS handshake proved, printed as {@code fingerprint}
 *   <li>{@code login}, {@code subscribe} (alerts after the newest event), {@code submit} (one fax, due later),
 *       {@code jobs} (the job is listed), {@code alert} (its queued event arrives)
 * </ol>
 *
 * Arguments: {@code --server HOST:PORT --timeout SECONDS}; credentials from FAXLAN_USER / FAXLAN_PASSWORD.
 */
public final class CpiProbe {
    private static PrintStream out;

    public static void main(String[] args) throws Exception {
        String server = null;
        int timeout = 60;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--server" -> server = args[++i];
                case "--timeout" -> timeout = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int colon = server.lastIndexOf(':');
        String host = server.substring(0, colon);
        int port = Integer.parseInt(server.substring(colon + 1));
        String step = "add";
        try (FaxlanClient c = FaxlanClient.builder().server(host, port).user(System.getenv("FAXLAN_USER"))
                .password(System.getenv("FAXLAN_PASSWORD").toCharArray()).timeout(Duration.ofSeconds(timeout)).build()) {
            c.info();
            ok(step, ",\"fingerprint\":\"" + Fingerprint.format(c.pin()) + "\"");
            step = "login";
            c.login();
            ok(step, "");
            step = "subscribe";
            Set<Long> alerted = ConcurrentHashMap.newKeySet();
            AlertSubscription sub = c.subscribe("probe-" + UUID.randomUUID(), null, a -> {
                if (a.body().get("job") instanceof Number n) alerted.add(n.longValue());
            });
            long deadline = System.currentTimeMillis() + timeout * 1000L;
            while (sub.lastDelivered() < 0 && sub.failure() == null && System.currentTimeMillis() < deadline) Thread.sleep(50);
            if (sub.lastDelivered() < 0) throw new FaxlanException.Unreachable("not subscribed within " + timeout + " s", sub.failure());
            ok(step, "");
            step = "submit";
            Path doc = Files.createTempFile("probe", ".txt");
            Files.writeString(doc, "faxlan firewall probe " + UUID.randomUUID() + "\n");
            List<Job> jobs = c.submit(new SubmitRequest(List.of("+15550100"), List.of(doc), "through the firewall", null, null,
                    Instant.parse(ServerProcess.LATER)));
            long id = jobs.get(0).id();
            ok(step, ",\"job\":" + id);
            step = "jobs";
            if (c.jobs(false).stream().noneMatch(j -> j.id() == id)) throw new FaxlanException("job " + id + " is not listed", 1);
            ok(step, "");
            step = "alert";
            deadline = System.currentTimeMillis() + timeout * 1000L;
            while (!alerted.contains(id) && System.currentTimeMillis() < deadline) Thread.sleep(50);
            if (!alerted.contains(id)) throw new FaxlanException.Unreachable("no alert for job " + id + " within " + timeout + " s", null);
            ok(step, "");
            sub.close();
        } catch (FaxlanException e) {
            fail(step, e.exitCode(), e.getMessage());
            System.exit(e.exitCode());
        } catch (Exception e) {
            fail(step, 1, e.toString());
            System.exit(1);
        }
        System.exit(0);
    }

    private static void ok(String step, String more) {
        out.println("{\"step\":\"" + step + "\",\"ok\":true" + more + "}");
    }

    private static void fail(String step, int exit, String error) {
        out.println("{\"step\":\"" + step + "\",\"ok\":false,\"exit\":" + exit + ",\"error\":\"" + error.replace("\\", "\\\\").replace("\"", "'") + "\"}");
    }
}
