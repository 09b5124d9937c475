package dev.faxlan.cli;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.JobState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(mixinStandardHelpOptions = true, name = "jobs", description = {"List outgoing fax jobs.",
        "Unfinished jobs and those that failed in the last 24 hours; --all for every job."})
final class JobsCommand implements Callable<Integer> {
    /** How long a failed job stays in the default list: long enough to be noticed the next working day. */
    static final Duration RECENT_FAILURES = Duration.ofHours(24);

    static final Listing<Job> LISTING = Listing.of(List.of("ID", "STATE", "TO", "OWNER", "PRI", "TRIES", "SEND AT", "UPDATED", "DOCUMENTS", "SUBJECT"),
            j -> List.of(String.valueOf(j.id()), j.state(), j.to(), j.owner(), String.valueOf(j.priority()), String.valueOf(j.attempts()),
                    j.at() == null ? "-" : Views.time(j.at()), Views.time(j.updated()), documents(j), j.subject() == null ? "-" : j.subject()),
            Views::job);

    @Mixin
    ClientOptions client;

    @Option(names = "--all", description = "include finished jobs")
    boolean all;

    @Override
    public Integer call() {
        List<Job> jobs;
        try (FaxlanClient c = client.connect()) {
            jobs = c.jobs(true);
        }
        if (!all) jobs = shown(jobs, System.currentTimeMillis());
        LISTING.whenEmpty(all ? "no jobs" : "no unfinished or recently failed jobs (--all lists every job)").print(jobs, client.json);
        return 0;
    }

    /** Without --all: unfinished jobs, and failed ones updated within {@link #RECENT_FAILURES}, so a failure is seen. */
    static List<Job> shown(List<Job> jobs, long now) {
        return jobs.stream().filter(j -> !j.finished() || (j.status() == JobState.FAILED && now - j.updated() <= RECENT_FAILURES.toMillis())).toList();
    }

    static String documents(Job j) {
        List<String> names = j.names().stream().map(n -> n.isEmpty() ? "?" : n).toList();
        return names.isEmpty() ? "-" : String.join(",", names);
    }
}
