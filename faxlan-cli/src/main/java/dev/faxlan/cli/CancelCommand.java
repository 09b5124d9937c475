package dev.faxlan.cli;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "cancel", description = "Cancel a job that has not finished.")
final class CancelCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "ID")
    long id;

    @Override
    public Integer call() {
        Job j;
        try (FaxlanClient c = client.connect()) {
            j = c.cancel(id);
        }
        if (client.json) System.out.println(Json.write(Views.job(j)));
        else System.out.println("job " + j.id() + " " + j.state());
        return 0;
    }
}
