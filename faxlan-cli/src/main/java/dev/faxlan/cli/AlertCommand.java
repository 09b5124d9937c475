package dev.faxlan.cli;

import dev.faxlan.sdk.Alert;
import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(mixinStandardHelpOptions = true, name = "alert", description = {"FaxAlert: stay running and print each alert (job state changes, received faxes) as it arrives.",
        "Alerts missed while this was not running are delivered when it starts again (per --subscriber)."})
final class AlertCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--exec", paramLabel = "CMD", description = "run CMD (with sh -c) for each alert, the alert as JSON on its stdin")
    String exec;

    @Option(names = "--subscriber", paramLabel = "NAME", description = "name under which the server remembers what this client has seen (default: alert@HOST)")
    String subscriber;

    @Option(names = "--from", paramLabel = "SEQ", description = "deliver alerts after sequence number SEQ instead of resuming")
    Long from;

    @Option(names = "--count", paramLabel = "N", description = "print N alerts, then exit")
    Long count;

    @Override
    public Integer call() throws Exception {
        String name = subscriber != null ? subscriber : "alert@" + hostName();
        AtomicLong seen = new AtomicLong();
        Object done = new Object();
        try (FaxlanClient c = client.connect()) {
            java.util.concurrent.atomic.AtomicReference<AlertSubscription> self = new java.util.concurrent.atomic.AtomicReference<>();
            AlertSubscription sub = c.subscribe(name, from, a -> {
                if (count != null && seen.get() >= count) return;
                deliver(a);
                if (count != null && seen.incrementAndGet() >= count) {
                    // Alerts come in batches: closing stops the rest of this one, unacknowledged, so the next run shows them.
                    if (self.get() != null) self.get().close();
                    synchronized (done) {
                        done.notifyAll();
                    }
                }
            });
            self.set(sub);
            long deadline = System.currentTimeMillis() + client.timeoutSeconds * 1000L;
            while (true) {
                synchronized (done) {
                    done.wait(200);
                }
                if (sub.failure() instanceof FaxlanException fe) throw fe;
                if (count != null && seen.get() >= count) return 0;
                if (sub.lastDelivered() < 0 && System.currentTimeMillis() > deadline) {
                    throw new FaxlanException.Unreachable("could not subscribe to alerts within " + client.timeoutSeconds + " s", null);
                }
            }
        }
    }

    private void deliver(Alert a) {
        String json = Json.write(Views.alert(a));
        if (client.json) System.out.println(json);
        else System.out.println(Views.alertLine(a));
        System.out.flush();
        if (exec != null) run(json, a);
    }

    private void run(String json, Alert a) {
        try {
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", exec).inheritIO().redirectInput(ProcessBuilder.Redirect.PIPE);
            pb.environment().put("FAXLAN_ALERT_SEQ", String.valueOf(a.seq()));
            pb.environment().put("FAXLAN_ALERT_TYPE", a.type());
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write((json + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the command need not read its input
            }
            int rc = p.waitFor();
            if (rc != 0) System.err.println("faxlan: --exec command exited " + rc + " for alert #" + a.seq());
        } catch (IOException e) {
            System.err.println("faxlan: cannot run --exec command: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
