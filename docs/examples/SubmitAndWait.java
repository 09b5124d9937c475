// A custom program on top of CPI: submit a fax and wait for its alert.
//
// Run it against a server (after the first `bin/faxlan` call has built the jars):
//   FAXLAN_PASSWORD=... java -cp "faxlan-launcher/target/faxlan.jar:faxlan-launcher/target/lib/*" \
//       docs/examples/SubmitAndWait.java HOST[:PORT] USER NUMBER FILE
import dev.faxlan.sdk.Alert;
import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.protocol.HostPort;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.SubmitRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

public class SubmitAndWait {
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: SubmitAndWait HOST[:PORT] USER NUMBER FILE   (password in FAXLAN_PASSWORD)");
            System.exit(2);
        }
        HostPort server = HostPort.parseLenient(args[0], 4644);
        String password = System.getenv("FAXLAN_PASSWORD");
        try (FaxlanClient fax = FaxlanClient.builder()
                .server(server.host(), server.port())
                .user(args[1])
                .password(password == null ? null : password.toCharArray())
                .timeout(Duration.ofSeconds(30))
                .build()) {
            // Subscribe first so no event of our job can slip past; "from" null = only new events.
            LinkedBlockingQueue<Alert> alerts = new LinkedBlockingQueue<>();
            AlertSubscription subscription = fax.subscribe("example", null, alerts::add);
            while (subscription.lastDelivered() < 0) Thread.sleep(20);

            List<Job> jobs = fax.submit(SubmitRequest.of(args[2], Path.of(args[3])).withSubject("sent by SubmitAndWait"));
            long id = jobs.get(0).id();
            System.out.println("submitted job " + id + " (" + jobs.get(0).state() + ")");

            // Print this job's alerts until it is finished (done, failed or cancelled). A number no fax
            // line takes stays queued: then the program gives up after two minutes without an alert.
            while (true) {
                Alert a = alerts.poll(120, TimeUnit.SECONDS);
                if (a == null) break;
                if (!(a.body().get("job") instanceof Number n) || n.longValue() != id) continue;
                System.out.println("alert #" + a.seq() + ": job " + id + " is " + a.body().get("state"));
                if (fax.job(id).finished()) break;
            }
        }
    }
}
