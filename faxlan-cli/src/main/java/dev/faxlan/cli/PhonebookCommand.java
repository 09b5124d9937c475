package dev.faxlan.cli;

import dev.faxlan.sdk.Contact;
import dev.faxlan.sdk.FaxlanClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, name = "phonebook", description = {"Fax contacts: your own, and shared ones everyone sees (administrators add those).",
        "A contact's name works as 'submit --to NAME'; your own entry wins over a shared one of the same name."})
final class PhonebookCommand {
    static final Listing<Contact> LISTING = Listing.<Contact>of(List.of("ID", "NAME", "COMPANY", "FAX", ""),
            k -> List.of(String.valueOf(k.id()), k.name(), k.company() == null ? "" : k.company(), k.fax(), k.shared() ? "shared" : "own"),
            PhonebookCommand::view).whenEmpty("the phonebook is empty");

    @Mixin
    ClientOptions client;

    @Command(mixinStandardHelpOptions = true, name = "list", description = "List your contacts and the shared ones.")
    int list() {
        List<Contact> contacts;
        try (FaxlanClient c = client.connect()) {
            contacts = c.contacts();
        }
        LISTING.print(contacts, client.json);
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "add", description = "Add a contact.")
    int add(@Parameters(index = "0", paramLabel = "NAME", description = "the name to use with --to (needs a letter)") String name,
            @Option(names = "--fax", required = true, paramLabel = "NUMBER", description = "fax number") String fax,
            @Option(names = "--company", paramLabel = "TEXT") String company,
            @Option(names = "--shared", description = "visible to everyone (administrators only)") boolean shared) {
        Contact k;
        try (FaxlanClient c = client.connect()) {
            k = c.addContact(name, company, fax, shared);
        }
        if (client.json) System.out.println(Json.write(view(k)));
        else System.out.println("added contact " + k.id() + ": " + k.name() + " " + k.fax() + (k.shared() ? " (shared)" : ""));
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "remove", description = "Remove a contact by its id.")
    int remove(@Parameters(index = "0", paramLabel = "ID") long id) {
        try (FaxlanClient c = client.connect()) {
            c.removeContact(id);
        }
        if (!client.json) System.out.println("removed contact " + id);
        else System.out.println(Json.write(Json.object("removed", id)));
        return 0;
    }

    private static Map<String, Object> view(Contact k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("name", k.name());
        m.put("company", k.company());
        m.put("fax", k.fax());
        m.put("shared", k.shared());
        return m;
    }
}
