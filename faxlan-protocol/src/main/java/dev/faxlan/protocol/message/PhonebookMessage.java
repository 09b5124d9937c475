package dev.faxlan.protocol.message;

import java.util.List;

/** {@code phonebook.list}, {@code phonebook.add} and {@code phonebook.remove}. */
public sealed interface PhonebookMessage {
    record ListContacts() implements PhonebookMessage, CpiRequest<Contacts> {}

    record Contacts(List<Contact> contacts) implements PhonebookMessage {}

    /** {@code shared}: seen by everyone, administrators only. */
    record AddContact(String name, String fax, @MayBeAbsent Boolean shared, @MayBeAbsent String company)
            implements PhonebookMessage, CpiRequest<OneContact> {}

    record OneContact(Contact contact) implements PhonebookMessage {}

    record RemoveContact(long contact) implements PhonebookMessage, CpiRequest<Removed> {}

    record Removed(long contact) implements PhonebookMessage {}

    record Contact(long id, String name, @MayBeAbsent String company, String fax, @MayBeAbsent Boolean shared) {}
}
