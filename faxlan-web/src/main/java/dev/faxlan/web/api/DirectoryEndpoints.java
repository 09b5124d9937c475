package dev.faxlan.web.api;

import dev.faxlan.protocol.message.PhonebookMessage;
import dev.faxlan.protocol.message.CoverMessage;
import dev.faxlan.web.api.Views.Cover;
import dev.faxlan.web.api.Views.CoverSource;
import dev.faxlan.web.api.Views.Covers;
import dev.faxlan.web.api.Views.Mailbox;
import dev.faxlan.web.api.Views.Mailboxes;
import dev.faxlan.web.api.Views.NewPhonebookEntry;
import dev.faxlan.web.api.Views.Phonebook;
import dev.faxlan.web.api.Views.PhonebookEntry;
import io.javalin.Javalin;
import io.javalin.http.Context;

/** What a user sends with and to: the phonebook, cover pages and mailboxes. */
final class DirectoryEndpoints {
    private final ApiCaller caller;

    DirectoryEndpoints(ApiCaller caller) {
        this.caller = caller;
    }

    void addTo(ApiRoutes api, Javalin app) {
        api.add(app, Endpoint.get("/phonebook").summary("The user's phonebook entries and the shared ones, by name")
                .responds(200, Phonebook.class).handle(ctx -> ctx.json(new Phonebook(
                        caller.with(ctx, c -> c.contacts()).stream().map(PhonebookEntry::of).toList()))));
        api.add(app, Endpoint.post("/phonebook").summary("Add a phonebook entry (shared ones as administrator)")
                .header(Idempotency.HEADER, false, "a repeat with the same key and body answers the first result")
                .jsonBody(NewPhonebookEntry.class).responds(201, PhonebookEntry.class).errors(400, 403, 409, 422).handle(this::addContact));
        api.add(app, Endpoint.delete("/phonebook/{id}").summary("Remove a phonebook entry").pathId("id", "the entry's id")
                .responds(204, null).errors(403, 404).handle(ctx -> {
                    long id = FaxEndpoints.id(ctx);
                    caller.with(ctx, c -> {
                        c.removeContact(id);
                        return null;
                    });
                    ctx.status(204);
                }));
        api.add(app, Endpoint.get("/covers").summary("The cover pages the user can use: built-in, shared and own")
                .responds(200, Covers.class).handle(ctx -> ctx.json(new Covers(caller.with(ctx, c -> c.covers()).stream().map(Cover::of).toList()))));
        api.add(app, Endpoint.get("/covers/{name}").summary("A cover page's template source (docs/cover-pages.md)")
                .pathParam("name", String.class, "the cover page's name").responds(200, CoverSource.class).errors(404)
                .handle(ctx -> {
                    String name = ctx.pathParam("name");
                    ctx.json(new CoverSource(name, caller.with(ctx, c -> c.call(new CoverMessage.GetCover(name)).source())));
                }));
        api.add(app, Endpoint.get("/mailboxes").summary("The mailboxes the user sees, with their members")
                .responds(200, Mailboxes.class).handle(ctx -> ctx.json(new Mailboxes(caller.with(ctx, c -> c.mailboxes()).stream().map(Mailbox::of).toList()))));
    }

    private void addContact(Context ctx) {
        NewPhonebookEntry e = JsonBodies.required(ctx, NewPhonebookEntry.class);
        if (e.name() == null || e.name().isBlank() || e.fax() == null || e.fax().isBlank()) {
            throw ApiProblem.badRequest("name and fax are required: {\"name\": \"Dr Smith\", \"fax\": \"+12125550100\"}");
        }
        byte[] key = Idempotency.cpiKey(ctx, "phonebook.add");
        PhonebookMessage.AddContact add = new PhonebookMessage.AddContact(e.name(), e.fax(), Boolean.TRUE.equals(e.shared()), e.company());
        PhonebookMessage.Contact c = caller.with(ctx, client -> Idempotency.call(client, add, key).contact());
        ctx.status(201).json(new PhonebookEntry(c.id(), c.name(), c.company(), c.fax(), Boolean.TRUE.equals(c.shared())));
    }
}
