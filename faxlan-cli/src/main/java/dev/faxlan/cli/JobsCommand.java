package dev.faxlan.cli;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "jobs", description = "List outgoing fax jobs (unfinished ones; --all for every job).")
final class JobsCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--all", description = "include finished jobs")
    boolean all;

    @Override
    public Integer call() {
        List<Job> jobs;
        try (FaxlanClient c = client.connect()) {
            jobs = c.jobs(all);
        }
        if (client.json) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Job j : jobs) out.add(Views.job(j));
            System.out.println(Json.write(out));
            return 0;
        }
        if (jobs.isEmpty()) {
            System.out.println(all ? "no jobs" : "no unfinished jobs (--all lists finished ones too)");
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Job j : jobs) {
            rows.add(List.of(String.valueOf(j.id()), j.state(), j.to(), j.owner(), Views.time(j.updated()), j.subject() == null ? "-" : j.subject()));
        }
        System.out.print(Views.table(List.of("ID", "STATE", "TO", "OWNER", "UPDATED", "SUBJECT"), rows));
        return 0;
    }
}
