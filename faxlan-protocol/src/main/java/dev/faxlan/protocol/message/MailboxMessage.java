package dev.faxlan.protocol.message;

import java.util.List;

/** {@code mailbox.list}, {@code mailbox.add}, {@code mailbox.remove}, {@code mailbox.member.add} and {@code mailbox.member.remove}. */
public sealed interface MailboxMessage {
    record ListMailboxes() implements MailboxMessage, CpiRequest<Mailboxes> {}

    record Mailboxes(List<Mailbox> mailboxes) implements MailboxMessage {}

    /** {@code kind}: personal (a user's) or shared. */
    record Mailbox(String name, String kind, List<String> members) {}

    record AddMailbox(String mailbox) implements MailboxMessage, CpiRequest<Named> {}

    record RemoveMailbox(String mailbox) implements MailboxMessage, CpiRequest<Named> {}

    record Named(String mailbox) implements MailboxMessage {}

    record AddMember(String mailbox, String user) implements MailboxMessage, CpiRequest<Membership> {}

    record RemoveMember(String mailbox, String user) implements MailboxMessage, CpiRequest<Membership> {}

    record Membership(String mailbox, String user) implements MailboxMessage {}
}
