package dev.faxlan.cli;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.InboxFax;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(mixinStandardHelpOptions = true, name = "inbox", description = "List received faxes in the mailboxes you can see, newest first.")
final class InboxCommand implements Callable<Integer> {
    static final Listing<InboxFax> LISTING = Listing.<InboxFax>of(List.of("ID", "RECEIVED", "FROM", "TO", "PAGES", "MAILBOX", "READ"),
            f -> List.of(String.valueOf(f.id()), Views.time(f.received()), Views.from(f), Views.orDash(f.did()), String.valueOf(f.pages()),
                    Views.orDash(f.mailbox()), f.read() ? "yes" : "no"),
            Views::fax).whenEmpty("no received faxes");

    @Mixin
    ClientOptions client;

    @Option(names = "--mailbox", paramLabel = "NAME", description = "only this mailbox")
    String mailbox;

    @Option(names = "--unread", description = "only faxes not marked read")
    boolean unread;

    @Option(names = "--search", paramLabel = "WORDS", description = "only faxes whose text has all these words, in any case (read by the server's OCR)")
    String search;

    @Override
    public Integer call() {
        List<InboxFax> faxes;
        try (FaxlanClient c = client.connect()) {
            faxes = search != null ? c.searchInbox(search, mailbox, unread) : c.inbox(mailbox, unread);
        }
        LISTING.print(faxes, client.json);
        return 0;
    }
}
