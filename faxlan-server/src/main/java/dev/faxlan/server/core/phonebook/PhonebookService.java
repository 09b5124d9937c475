package dev.faxlan.server.core.phonebook;

import java.sql.SQLException;
import dev.faxlan.server.core.Checks;
import dev.faxlan.server.core.Problem;
import dev.faxlan.server.core.ProblemException;
import dev.faxlan.server.service.Caller;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Phonebook;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Personal and shared contacts. Changes run in the transaction they are given, so a door can commit
 * its idempotency record with them.
 */
public final class PhonebookService {
    /** A contact to add: {@code shared} ones are for every user, and only administrators add them. */
    public record NewContact(String name, String company, String fax, boolean shared) {}

    private final Database db;
    private final Clock clock;

    public PhonebookService(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** The caller's own contacts and the shared ones. */
    public List<Phonebook.Entry> list(Caller caller) throws SQLException {
        return db.tx(c -> Phonebook.visible(c, caller.userId()));
    }

    public Phonebook.Entry add(Connection c, Caller caller, NewContact contact) throws SQLException {
        if (contact.shared()) Checks.requireAdmin(caller);
        String name = contact.name().strip();
        if (name.isEmpty() || name.length() > 128) throw new ProblemException(Problem.INVALID, "a contact name is 1 to 128 characters");
        if (name.chars().noneMatch(Character::isLetter)) {
            throw new ProblemException(Problem.INVALID, "a contact name needs a letter, so it cannot be mistaken for a number: " + name);
        }
        String company = Checks.limited(contact.company(), 128, "company");
        String fax = Checks.faxNumber(contact.fax());
        long id = Phonebook.insert(c, contact.shared() ? null : caller.userId(), name, company, fax, clock.millis());
        return Phonebook.byId(c, id).orElseThrow();
    }

    /** Removes contact {@code id}; returns its id. */
    public long remove(Connection c, Caller caller, long id) throws SQLException {
        Optional<Phonebook.Entry> e = Phonebook.byId(c, id);
        // Someone else's entry answers like a missing one; shared entries are the administrators' to remove.
        if (e.isEmpty() || (!e.get().shared() && e.get().ownerId() != caller.userId())) throw new ProblemException(Problem.NOT_FOUND, "no contact " + id);
        if (e.get().shared()) Checks.requireAdmin(caller);
        Phonebook.delete(c, id);
        return id;
    }

    /** A fax number, or the name of a phonebook entry (the caller's own before a shared one). */
    public static String recipient(Connection c, Caller caller, String to) throws SQLException {
        if (to.chars().noneMatch(Character::isLetter)) return Checks.faxNumber(to);
        Phonebook.Entry e = Phonebook.find(c, caller.userId(), to.strip())
                .orElseThrow(() -> new ProblemException(Problem.INVALID, "\"" + to + "\" is neither a fax number nor a name in your phonebook"));
        return e.fax();
    }
}
