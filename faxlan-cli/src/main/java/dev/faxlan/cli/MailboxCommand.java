package dev.faxlan.cli;

import dev.faxlan.sdk.FaxlanClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, name = "mailbox", description = {"Mailboxes for received faxes: each user's own, and shared ones whose members see them.",
        "Administrators create shared mailboxes and name their members; routing rules ('faxlan router') fill them."})
final class MailboxCommand {
    static final Listing<FaxlanClient.MailboxInfo> LISTING = Listing.of(List.of("NAME", "KIND", "MEMBERS"),
            b -> List.of(b.name(), b.kind(), String.join(", ", b.members())),
            b -> Json.object("name", b.name(), "kind", b.kind(), "members", b.members()));

    @Mixin
    ClientOptions client;

    @Command(mixinStandardHelpOptions = true, name = "list", description = "The mailboxes you see (administrators: all), with their members.")
    int list() {
        List<FaxlanClient.MailboxInfo> boxes;
        try (FaxlanClient c = client.connect()) {
            boxes = c.mailboxes();
        }
        LISTING.print(boxes, client.json);
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "add", description = "Create a shared mailbox (administrators).")
    int add(@Parameters(paramLabel = "NAME") String name) {
        try (FaxlanClient c = client.connect()) {
            c.addMailbox(name);
        }
        if (client.json) System.out.println(Json.write(Json.object("mailbox", name, "created", true)));
        else System.out.println("created shared mailbox " + name);
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "remove", description = "Remove a shared mailbox no rule delivers to; its faxes move to Unaddressed (administrators).")
    int remove(@Parameters(paramLabel = "NAME") String name) {
        try (FaxlanClient c = client.connect()) {
            c.removeMailbox(name);
        }
        if (client.json) System.out.println(Json.write(Json.object("mailbox", name, "removed", true)));
        else System.out.println("removed mailbox " + name);
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "member-add", description = "Let a user see a shared mailbox (administrators).")
    int memberAdd(@Parameters(index = "0", paramLabel = "MAILBOX") String mailbox, @Parameters(index = "1", paramLabel = "USER") String user) {
        try (FaxlanClient c = client.connect()) {
            c.setMailboxMember(mailbox, user, true);
        }
        if (client.json) System.out.println(Json.write(Json.object("mailbox", mailbox, "user", user, "member", true)));
        else System.out.println(user + " now sees " + mailbox);
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "member-remove", description = "Stop a user seeing a shared mailbox (administrators).")
    int memberRemove(@Parameters(index = "0", paramLabel = "MAILBOX") String mailbox, @Parameters(index = "1", paramLabel = "USER") String user) {
        try (FaxlanClient c = client.connect()) {
            c.setMailboxMember(mailbox, user, false);
        }
        if (client.json) System.out.println(Json.write(Json.object("mailbox", mailbox, "user", user, "member", false)));
        else System.out.println(user + " no longer sees " + mailbox);
        return 0;
    }
}
