package dev.faxlan.cli;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.InboxFax;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(mixinStandardHelpOptions = true, name = "inbox", description = "List received faxes in the mailboxes you can see, newest first.")
final class InboxCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--mailbox", paramLabel = "NAME", description = "only this mailbox")
    String mailbox;

    @Option(names = "--unread", description = "only faxes not marked read")
    boolean unread;

    @Override
    public Integer call() {
        List<InboxFax> faxes;
        try (FaxlanClient c = client.connect()) {
            faxes = c.inbox(mailbox, unread);
        }
        if (client.json) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (InboxFax f : faxes) out.add(Views.fax(f));
            System.out.println(Json.write(out));
            return 0;
        }
        if (faxes.isEmpty()) {
            System.out.println("no received faxes");
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (InboxFax f : faxes) {
            rows.add(List.of(String.valueOf(f.id()), Views.time(f.received()), Views.from(f), Views.orDash(f.did()), String.valueOf(f.pages()),
                    Views.orDash(f.mailbox()), f.read() ? "yes" : "no"));
        }
        System.out.print(Views.table(List.of("ID", "RECEIVED", "FROM", "TO", "PAGES", "MAILBOX", "READ"), rows));
        return 0;
    }
}
