package dev.faxlan.mail.fax;

import dev.faxlan.sdk.Contact;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Phonebook names as the local part of a recipient address: {@code dr.smith@fax.example.org},
 * {@code Dr_Smith@...} and {@code "Dr Smith"@...} all name the entry "Dr. Smith". A local part
 * cannot hold a plain space, so dots and underscores stand for spaces; names are compared in any
 * case with dots, underscores and runs of spaces as one space. The sender's own entry comes before a
 * shared one, as the server resolves names.
 *
 * @param contacts the sender's phonebook (own and shared entries), read once per mail
 */
public record PhonebookNames(List<Contact> contacts) {

    /**
     * The entry {@code localPart} names, or empty when none does. Two entries of the same rank that
     * read alike ("Dr Smith", "dr.smith") go to the one written exactly as the local part, else
     * neither: a fax must not go to a guess.
     */
    public Optional<Contact> find(String localPart) {
        String name = unquoted(localPart);
        String key = key(name);
        if (key.isEmpty()) return Optional.empty();
        for (boolean shared : new boolean[] {false, true}) {
            List<Contact> alike = contacts.stream().filter(c -> c.shared() == shared && key(c.name()).equals(key)).toList();
            if (alike.size() == 1) return Optional.of(alike.get(0));
            if (alike.size() > 1) return alike.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
        }
        return Optional.empty();
    }

    /** The name a local part stands for, as a person would write it: {@code dr.smith} is "dr smith". */
    public static String spoken(String localPart) {
        return unquoted(localPart).replaceAll("[._\\s]+", " ").strip();
    }

    /** A name as compared: lower case, dots, underscores and white space as single spaces. */
    static String key(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[._\\s]+", " ").strip();
    }

    /** RFC 5321 quoted local part ({@code "Dr Smith"}) without its quotes and backslash escapes. */
    static String unquoted(String localPart) {
        if (localPart.length() >= 2 && localPart.startsWith("\"") && localPart.endsWith("\"")) {
            return localPart.substring(1, localPart.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        return localPart;
    }
}
