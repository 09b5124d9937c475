package dev.faxlan.web.api;

import dev.faxlan.protocol.message.InboxMessage;
import dev.faxlan.protocol.message.JobMessage;
import dev.faxlan.sdk.Contact;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.InboxFax;
import java.time.Instant;
import java.util.List;

/**
 * What the API answers and takes as JSON: one record per object, its components the JSON members
 * (the OpenAPI schemas are made from these records). Times are ISO 8601 instants.
 */
public final class Views {
    private Views() {}

    @ApiDoc("An outgoing fax job; state is one of queued, sending, done, failed, cancelled (docs/protocol.md)")
    public record Job(long id, String owner, String to, String state, @Nullable String subject, @Nullable String cover, String resolution,
            int priority, @Nullable Instant sendAt, Instant created, Instant updated, @Nullable String reason, int attempts, int pages,
            List<String> documents, List<Call> calls) {
        static Job of(dev.faxlan.sdk.Job j) {
            return new Job(j.id(), j.owner(), j.to(), j.state(), j.subject(), j.cover(), j.resolution(), j.priority(),
                    j.at() == null ? null : Instant.ofEpochMilli(j.at()), Instant.ofEpochMilli(j.created()), Instant.ofEpochMilli(j.updated()),
                    j.reason(), j.attempts(), j.pages(), j.names(), j.calls().stream().map(Call::of).toList());
        }

        /** As the server's answer to a submit has it, without asking again. */
        static Job fromWire(JobMessage.Job j) {
            return new Job(j.id(), text(j.owner()), j.to(), j.state(), j.subject(), j.cover(), j.resolution() == null ? "fine" : j.resolution(),
                    j.priority() == null ? 5 : (int) (long) j.priority(), j.at() == null ? null : Instant.ofEpochMilli(j.at()),
                    Instant.ofEpochMilli(or(j.created())), Instant.ofEpochMilli(or(j.updated())), j.reason(), (int) or(j.attempts()),
                    (int) or(j.pages()), j.names() == null ? List.of() : j.names(), List.of());
        }
    }

    @ApiDoc("One call attempt of a job (GET /jobs/{id} only): the media it ended on (t38 or g711) and why, the media plan it started with,"
            + " the carrier trained after any step-down, its outcome (docs/protocol.md)")
    public record Call(int attempt, Instant started, Instant ended, String line, String plan, @Nullable String media, String mediaWhy,
            @Nullable String carrier, String outcome, int pages, String reason) {
        static Call of(dev.faxlan.sdk.JobCall c) {
            return new Call(c.attempt(), Instant.ofEpochMilli(c.started()), Instant.ofEpochMilli(c.ended()), c.line(), c.plan(),
                    c.media().isEmpty() ? null : c.media(), c.mediaWhy(), c.carrier().isEmpty() ? null : c.carrier(), c.outcome(), c.pages(),
                    c.reason());
        }
    }

    @ApiDoc("A page of jobs, newest first; next is the cursor of the next page, null on the last")
    public record JobList(List<Job> items, @Nullable String next) {}

    @ApiDoc("The jobs a submit made, one per recipient")
    public record Submitted(List<Job> jobs) {}

    @ApiDoc("A received fax")
    public record ReceivedFax(long id, Instant received, String mailbox, boolean read, int pages, String caller, String did, String csid,
            String sender, String result, long size) {
        static ReceivedFax of(InboxFax f) {
            return new ReceivedFax(f.id(), Instant.ofEpochMilli(f.received()), f.mailbox(), f.read(), f.pages(), f.caller(), f.did(), f.csid(),
                    f.sender(), f.result(), f.size());
        }

        static ReceivedFax fromWire(InboxMessage.Fax f) {
            return of(new InboxFax(f.id(), or(f.received()), text(f.line()), text(f.caller()), text(f.did()), text(f.csid()), text(f.subaddress()),
                    text(f.sender()), (int) or(f.pages()), (int) or(f.badLines()), or(f.duration()), text(f.result()), or(f.size()), f.sha256(),
                    f.mailbox(), Boolean.TRUE.equals(f.read())));
        }
    }

    private static long or(Long v) {
        return v == null ? 0 : v;
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    @ApiDoc("A page of received faxes, unread first, then newest first; next is the cursor of the next page, null on the last")
    public record ReceivedFaxList(List<ReceivedFax> items, @Nullable String next) {}

    @ApiDoc("Moves a received fax to another mailbox the user is a member of")
    public record Move(String mailbox) {}

    @ApiDoc("Marks a received fax read (true) or unread (false); without a body it is marked read")
    public record Read(@Nullable Boolean read) {}

    @ApiDoc("A phonebook entry, the user's own or shared; its name works as a recipient")
    public record PhonebookEntry(long id, String name, @Nullable String company, String fax, boolean shared) {
        static PhonebookEntry of(Contact c) {
            return new PhonebookEntry(c.id(), c.name(), c.company(), c.fax(), c.shared());
        }
    }

    @ApiDoc("A new phonebook entry; shared ones (seen by everyone) only for administrators")
    public record NewPhonebookEntry(String name, @Nullable String company, String fax, @Nullable Boolean shared) {}

    @ApiDoc("The user's phonebook entries and the shared ones")
    public record Phonebook(List<PhonebookEntry> items) {}

    @ApiDoc("A cover page template: built-in, shared or own")
    public record Cover(String name, String kind) {
        static Cover of(FaxlanClient.CoverInfo c) {
            return new Cover(c.name(), c.kind());
        }
    }

    @ApiDoc("The cover pages the user can use")
    public record Covers(List<Cover> items) {}

    @ApiDoc("A cover page template with its source (docs/cover-pages.md)")
    public record CoverSource(String name, String source) {}

    @ApiDoc("A mailbox the user sees: personal or shared, with its members")
    public record Mailbox(String name, String kind, List<String> members) {
        static Mailbox of(FaxlanClient.MailboxInfo m) {
            return new Mailbox(m.name(), m.kind(), m.members());
        }
    }

    @ApiDoc("The mailboxes the user sees")
    public record Mailboxes(List<Mailbox> items) {}
}
