package dev.faxlan.web.page;

import dev.faxlan.sdk.Contact;
import dev.faxlan.sdk.FaxlanException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Comparator;
import java.util.List;

/**
 * The phonebook: the user's own entries and the shared ones, add and remove. Whether a user may add
 * or remove a shared entry is the server's to say (administrators only); its refusal is shown.
 */
final class PhonebookPage {
    private final Pages pages;

    PhonebookPage(Pages pages) {
        this.pages = pages;
    }

    void addTo(Javalin app) {
        app.get("/phonebook", this::list);
        app.post("/phonebook", this::add);
        app.post("/phonebook/{id}/remove", this::remove);
    }

    private void list(Context ctx) {
        List<Contact> contacts;
        try {
            contacts = PageGuard.session(ctx).client().contacts();
        } catch (FaxlanException e) {
            throw PageFailure.of("Listing the phonebook", e, "/phonebook");
        }
        Comparator<Contact> byName = Comparator.comparing(c -> c.name().toLowerCase(java.util.Locale.ROOT));
        pages.render(ctx, "phonebook.jte", pages.frame(ctx, "Phonebook", "phonebook"),
                "own", contacts.stream().filter(c -> !c.shared()).sorted(byName).toList(),
                "shared", contacts.stream().filter(Contact::shared).sorted(byName).toList());
    }

    private void add(Context ctx) {
        String name = PageForms.field(ctx, "name");
        String fax = PageForms.field(ctx, "fax");
        if (name == null || fax == null) throw PageFailure.badRequest("Give the entry a name and a fax number.", "/phonebook");
        boolean shared = "shared".equals(ctx.formParam("scope"));
        try {
            PageGuard.session(ctx).client().addContact(name, PageForms.field(ctx, "company"), fax, shared);
        } catch (FaxlanException e) {
            throw PageFailure.of("Adding " + (shared ? "shared entry " : "entry ") + name, e, "/phonebook");
        }
        PageForms.done(ctx, "/phonebook", (shared ? "Shared entry " : "Entry ") + name + " added.");
    }

    private void remove(Context ctx) {
        long id = PageForms.pathId(ctx, "phonebook entry", "/phonebook");
        try {
            PageGuard.session(ctx).client().removeContact(id);
        } catch (FaxlanException e) {
            throw PageFailure.of("Removing phonebook entry " + id, e, "/phonebook");
        }
        PageForms.done(ctx, "/phonebook", "Entry removed.");
    }
}
