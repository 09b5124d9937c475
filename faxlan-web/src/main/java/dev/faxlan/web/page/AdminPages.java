package dev.faxlan.web.page;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.UserAccount;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Administration: its index, accounts (add, reset password, remove) and mailboxes with their
 * members. The navigation shows it to administrators only, but that is a courtesy: every call is
 * the logged-in user's own, and the server refuses what a user may not do (shown as its refusal).
 */
final class AdminPages {
    private final Pages pages;

    AdminPages(Pages pages) {
        this.pages = pages;
    }

    void addTo(Javalin app) {
        app.get("/admin", ctx -> pages.render(ctx, "admin.jte", pages.frame(ctx, "Administration", "admin")));
        app.get("/admin/accounts", this::accounts);
        app.post("/admin/accounts", this::addAccount);
        app.post("/admin/accounts/{name}/password", this::resetPassword);
        app.post("/admin/accounts/{name}/remove", this::removeAccount);
        app.get("/admin/mailboxes", this::mailboxes);
        app.post("/admin/mailboxes", this::addMailbox);
        app.post("/admin/mailboxes/{name}/remove", this::removeMailbox);
        app.post("/admin/mailboxes/{name}/members", this::setMember);
    }

    private void accounts(Context ctx) {
        List<AccountRow> users;
        try {
            users = PageGuard.session(ctx).client().users().stream().map(AccountRow::of).toList();
        } catch (FaxlanException e) {
            throw PageFailure.of("Listing accounts", e, "/admin");
        }
        pages.render(ctx, "accounts.jte", pages.frame(ctx, "Accounts", "admin"), "users", users);
    }

    private void addAccount(Context ctx) {
        String name = PageForms.field(ctx, "name");
        String role = Objects.requireNonNullElse(PageForms.field(ctx, "role"), "user");
        char[] pw = Objects.requireNonNullElse(ctx.formParam("password"), "").toCharArray();
        try {
            if (name == null || pw.length == 0) throw PageFailure.badRequest("Give the account a name and a password.", "/admin/accounts");
            PageGuard.session(ctx).client().addUser(name, pw, role);
        } catch (FaxlanException e) {
            throw PageFailure.of("Adding account " + name, e, "/admin/accounts");
        } finally {
            Arrays.fill(pw, '\0');
        }
        PageForms.done(ctx, "/admin/accounts", "Account " + name + " added (" + role + ").");
    }

    private void resetPassword(Context ctx) {
        String name = ctx.pathParam("name");
        char[] pw = Objects.requireNonNullElse(ctx.formParam("password"), "").toCharArray();
        try {
            if (pw.length == 0) throw PageFailure.badRequest("Give the new password for " + name + ".", "/admin/accounts");
            PageGuard.session(ctx).client().passwd(name, pw);
        } catch (FaxlanException e) {
            throw PageFailure.of("Setting the password of " + name, e, "/admin/accounts");
        } finally {
            Arrays.fill(pw, '\0');
        }
        PageForms.done(ctx, "/admin/accounts", "Password of " + name + " set; their sessions ended.");
    }

    private void removeAccount(Context ctx) {
        String name = ctx.pathParam("name");
        try {
            PageGuard.session(ctx).client().removeUser(name);
        } catch (FaxlanException e) {
            throw PageFailure.of("Removing account " + name, e, "/admin/accounts");
        }
        PageForms.done(ctx, "/admin/accounts", "Account " + name + " removed; its faxes are in Unaddressed.");
    }

    private void mailboxes(Context ctx) {
        FaxlanClient client = PageGuard.session(ctx).client();
        List<FaxlanClient.MailboxInfo> mailboxes;
        List<String> users;
        try {
            mailboxes = client.mailboxes();
            users = client.users().stream().map(UserAccount::name).toList();
        } catch (FaxlanException e) {
            throw PageFailure.of("Listing mailboxes", e, "/admin");
        }
        pages.render(ctx, "mailboxes.jte", pages.frame(ctx, "Mailboxes", "admin"), "mailboxes", mailboxes, "users", users);
    }

    private void addMailbox(Context ctx) {
        String name = PageForms.field(ctx, "name");
        if (name == null) throw PageFailure.badRequest("Give the mailbox a name.", "/admin/mailboxes");
        try {
            PageGuard.session(ctx).client().addMailbox(name);
        } catch (FaxlanException e) {
            throw PageFailure.of("Adding mailbox " + name, e, "/admin/mailboxes");
        }
        PageForms.done(ctx, "/admin/mailboxes", "Mailbox " + name + " added.");
    }

    private void removeMailbox(Context ctx) {
        String name = ctx.pathParam("name");
        try {
            PageGuard.session(ctx).client().removeMailbox(name);
        } catch (FaxlanException e) {
            throw PageFailure.of("Removing mailbox " + name, e, "/admin/mailboxes");
        }
        PageForms.done(ctx, "/admin/mailboxes", "Mailbox " + name + " removed; its faxes are in Unaddressed.");
    }

    /** Adds ({@code member=true}) or removes a member of a shared mailbox. */
    private void setMember(Context ctx) {
        String mailbox = ctx.pathParam("name");
        String user = PageForms.field(ctx, "user");
        boolean member = !"false".equals(ctx.formParam("member"));
        if (user == null) throw PageFailure.badRequest("Choose the user.", "/admin/mailboxes");
        try {
            PageGuard.session(ctx).client().setMailboxMember(mailbox, user, member);
        } catch (FaxlanException e) {
            throw PageFailure.of((member ? "Adding " : "Removing ") + user + (member ? " to " : " from ") + mailbox, e, "/admin/mailboxes");
        }
        PageForms.done(ctx, "/admin/mailboxes", user + (member ? " now sees " : " no longer sees ") + mailbox + ".");
    }
}
