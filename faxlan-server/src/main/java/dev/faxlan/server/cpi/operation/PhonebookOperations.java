package dev.faxlan.server.cpi.operation;

import static dev.faxlan.server.cpi.operation.Operations.encode;

import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.message.PhonebookMessage;
import dev.faxlan.server.core.phonebook.PhonebookService;
import dev.faxlan.server.storage.Phonebook;
import java.util.ArrayList;
import java.util.List;

/** {@code phonebook.list}, {@code phonebook.add} and {@code phonebook.remove}. */
final class PhonebookOperations {
    private final PhonebookService phonebook;

    PhonebookOperations(PhonebookService phonebook) {
        this.phonebook = phonebook;
    }

    void register(Operations ops) {
        ops.query(Op.PHONEBOOK_LIST, call -> {
            call.body(PhonebookMessage.ListContacts.class);
            List<PhonebookMessage.Contact> out = new ArrayList<>();
            for (Phonebook.Entry e : phonebook.list(call.caller())) out.add(contact(e));
            return encode(new PhonebookMessage.Contacts(out));
        });
        ops.command(Op.PHONEBOOK_ADD, call -> {
            PhonebookMessage.AddContact r = call.body(PhonebookMessage.AddContact.class);
            PhonebookService.NewContact contact = new PhonebookService.NewContact(r.name(), r.company(), r.fax(), Boolean.TRUE.equals(r.shared()));
            return (c, after) -> encode(new PhonebookMessage.OneContact(contact(phonebook.add(c, call.caller(), contact))));
        });
        ops.command(Op.PHONEBOOK_REMOVE, call -> {
            long id = call.body(PhonebookMessage.RemoveContact.class).contact();
            return (c, after) -> encode(new PhonebookMessage.Removed(phonebook.remove(c, call.caller(), id)));
        });
    }

    private static PhonebookMessage.Contact contact(Phonebook.Entry e) {
        return new PhonebookMessage.Contact(e.id(), e.name(), e.company(), e.fax(), e.shared());
    }
}
