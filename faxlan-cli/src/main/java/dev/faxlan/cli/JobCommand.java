package dev.faxlan.cli;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, name = "job", description = "Show one job in detail.")
final class JobCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "ID")
    long id;

    @Override
    public Integer call() {
        Job j;
        try (FaxlanClient c = client.connect()) {
            j = c.job(id);
        }
        print(j, client.json);
        return 0;
    }

    static void print(Job j, boolean json) {
        Map<String, Object> m = Views.job(j);
        if (json) {
            System.out.println(Json.write(m));
            return;
        }
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Object v = e.getValue();
            if (v == null || e.getKey().equals("calls")) continue;
            if (v instanceof java.util.Collection<?> l && l.isEmpty() || v instanceof Map<?, ?> fm && fm.isEmpty()) continue;
            String text = v instanceof java.util.List<?> l ? String.join(", ", l.stream().map(String::valueOf).toList())
                    : v instanceof Map<?, ?> fm ? String.join(", ", fm.entrySet().stream().map(f -> f.getKey() + "=" + f.getValue()).toList()) : String.valueOf(v);
            System.out.printf("%-11s %s%n", e.getKey() + ":", text);
        }
        // Each call: which media it used and why (policy, the number's memory, a fallback), and its carrier.
        if (!j.calls().isEmpty()) {
            System.out.println("calls:");
            for (dev.faxlan.sdk.JobCall c : j.calls()) for (String line : Views.callLines(c)) System.out.println("  " + line);
        }
    }
}
