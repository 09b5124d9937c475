package dev.faxlan.sdk;

import dev.faxlan.protocol.message.PhonebookMessage;

/** A phonebook entry: the user's own, or shared by everyone ({@code shared}). Its name works as a {@code --to}. */
public record Contact(long id, String name, String company, String fax, boolean shared) {
    static Contact from(PhonebookMessage.Contact c) {
        return new Contact(c.id(), c.name(), c.company(), c.fax(), Boolean.TRUE.equals(c.shared()));
    }
}
