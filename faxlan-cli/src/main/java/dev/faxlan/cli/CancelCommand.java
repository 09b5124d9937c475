package dev.faxlan.cli;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, name = "cancel", description = "Cancel jobs that have not finished.")
final class CancelCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "ID", arity = "1..*", description = "job ids")
    List<Long> ids;

    /** Cancels each job; one that cannot be cancelled is reported on stderr and the others still are. The exit code is the last failure's. */
    @Override
    public Integer call() {
        List<Job> cancelled = new ArrayList<>();
        int rc = 0;
        try (FaxlanClient c = client.connect()) {
            for (long id : ids) {
                try {
                    Job j = c.cancel(id);
                    cancelled.add(j);
                    if (!client.json) System.out.println("job " + j.id() + " " + j.state());
                } catch (FaxlanException.Refused e) {
                    System.err.println("faxlan: job " + id + ": " + e.getMessage());
                    rc = e.exitCode();
                }
            }
        }
        if (client.json) JobsCommand.LISTING.print(cancelled, true);
        return rc;
    }
}
