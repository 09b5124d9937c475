package dev.faxlan.server.cpi.operation;

import static dev.faxlan.server.cpi.operation.Operations.encode;

import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.message.MailboxMessage;
import dev.faxlan.server.core.Checks;
import dev.faxlan.server.core.mailbox.MailboxService;
import java.util.ArrayList;
import java.util.List;

/** {@code mailbox.*}: changes are the administrators', checked before the body is read, so a user is refused whatever they send. */
final class MailboxOperations {
    private final MailboxService mailboxes;

    MailboxOperations(MailboxService mailboxes) {
        this.mailboxes = mailboxes;
    }

    void register(Operations ops) {
        ops.query(Op.MAILBOX_LIST, call -> {
            call.body(MailboxMessage.ListMailboxes.class);
            List<MailboxMessage.Mailbox> out = new ArrayList<>();
            for (MailboxService.Box m : mailboxes.list(call.caller())) {
                out.add(new MailboxMessage.Mailbox(m.name(), m.personal() ? "personal" : "shared", m.members()));
            }
            return encode(new MailboxMessage.Mailboxes(out));
        });
        ops.command(Op.MAILBOX_ADD, call -> {
            Checks.requireAdmin(call.caller());
            String name = call.body(MailboxMessage.AddMailbox.class).mailbox();
            return (c, after) -> encode(new MailboxMessage.Named(mailboxes.add(c, call.caller(), name)));
        });
        ops.command(Op.MAILBOX_REMOVE, call -> {
            Checks.requireAdmin(call.caller());
            String name = call.body(MailboxMessage.RemoveMailbox.class).mailbox();
            return (c, after) -> encode(new MailboxMessage.Named(mailboxes.remove(c, call.caller(), name)));
        });
        ops.command(Op.MAILBOX_MEMBER_ADD, call -> {
            Checks.requireAdmin(call.caller());
            MailboxMessage.AddMember r = call.body(MailboxMessage.AddMember.class);
            MailboxService.Membership asked = new MailboxService.Membership(r.mailbox(), r.user());
            return (c, after) -> encode(membership(mailboxes.addMember(c, call.caller(), asked)));
        });
        ops.command(Op.MAILBOX_MEMBER_REMOVE, call -> {
            Checks.requireAdmin(call.caller());
            MailboxMessage.RemoveMember r = call.body(MailboxMessage.RemoveMember.class);
            MailboxService.Membership asked = new MailboxService.Membership(r.mailbox(), r.user());
            return (c, after) -> encode(membership(mailboxes.removeMember(c, call.caller(), asked)));
        });
    }

    private static MailboxMessage.Membership membership(MailboxService.Membership m) {
        return new MailboxMessage.Membership(m.mailbox(), m.user());
    }
}
