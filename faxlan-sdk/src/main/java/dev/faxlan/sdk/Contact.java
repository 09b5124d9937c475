package dev.faxlan.sdk;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.Fields;

/** A phonebook entry: the user's own, or shared by everyone ({@code shared}). Its name works as a {@code --to}. */
public record Contact(long id, String name, String company, String fax, boolean shared) {
    static Contact from(Fields f) throws CpiException {
        return new Contact(f.integer("id"), f.string("name"), f.string("company", null), f.string("fax"), f.bool("shared", false));
    }
}
