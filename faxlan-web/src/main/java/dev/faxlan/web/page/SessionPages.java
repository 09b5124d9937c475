package dev.faxlan.web.page;

import dev.faxlan.sdk.FaxlanException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Arrays;
import java.util.Objects;

/** Log in, log out and change the password: the pages of the browser session itself. */
final class SessionPages {
    private final BrowserSessions sessions;
    private final Pages pages;

    SessionPages(BrowserSessions sessions, Pages pages) {
        this.sessions = sessions;
        this.pages = pages;
    }

    void addTo(Javalin app) {
        app.get("/", ctx -> ctx.redirect(sessions.find(ctx.cookie(PageGuard.SESSION_COOKIE)).isPresent() ? "/outbox" : "/login"));
        app.get("/login", ctx -> loginForm(ctx, "", null, HttpStatus.OK));
        app.post("/login", this::logIn);
        app.post("/logout", this::logOut);
        app.get("/password", ctx -> pages.render(ctx, "password.jte", pages.frame(ctx, "Change password", "password")));
        app.post("/password", this::changePassword);
    }

    private void loginForm(Context ctx, String user, String error, HttpStatus status) {
        String token = ctx.cookie(PageGuard.LOGIN_COOKIE);
        if (token == null || token.length() < 20) {
            token = BrowserSessions.token(24);
            PageGuard.setCookie(ctx, PageGuard.LOGIN_COOKIE, token, -1);
        }
        PageFrame frame = new PageFrame("Log in", "login", null, false, null, ctx.queryParam("notice"), error);
        ctx.status(status);
        pages.render(ctx, "login.jte", frame, "loginToken", token, "user", user);
    }

    private void logIn(Context ctx) {
        String user = Objects.requireNonNullElse(ctx.formParam("user"), "").strip();
        char[] password = Objects.requireNonNullElse(ctx.formParam("password"), "").toCharArray();
        if (user.isEmpty() || password.length == 0) {
            loginForm(ctx, user, "Enter your user name and password.", HttpStatus.BAD_REQUEST);
            return;
        }
        try {
            BrowserSessions.Login login = sessions.logIn(user, password);
            // A session id from before the login (fixation) is ended; the browser gets a new one.
            sessions.end(ctx.cookie(PageGuard.SESSION_COOKIE));
            PageGuard.setCookie(ctx, PageGuard.SESSION_COOKIE, login.id(), -1);
            ctx.redirect("/outbox");
        } catch (FaxlanException.AuthenticationFailed e) {
            // The server's words: the same for an unknown user and a wrong password, and its throttling.
            loginForm(ctx, user, "Log in refused: " + e.getMessage(), HttpStatus.UNAUTHORIZED);
        } catch (FaxlanException e) {
            loginForm(ctx, user, Pages.say(e), Pages.status(e));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private void logOut(Context ctx) {
        sessions.end(ctx.cookie(PageGuard.SESSION_COOKIE));
        PageGuard.setCookie(ctx, PageGuard.SESSION_COOKIE, "", 0);
        ctx.redirect("/login?notice=" + java.net.URLEncoder.encode("Logged out.", java.nio.charset.StandardCharsets.UTF_8));
    }

    private void changePassword(Context ctx) {
        PageFrame frame = pages.frame(ctx, "Change password", "password");
        char[] current = Objects.requireNonNullElse(ctx.formParam("current"), "").toCharArray();
        char[] fresh = Objects.requireNonNullElse(ctx.formParam("new"), "").toCharArray();
        char[] repeat = Objects.requireNonNullElse(ctx.formParam("repeat"), "").toCharArray();
        try {
            if (!Arrays.equals(fresh, repeat)) {
                ctx.status(HttpStatus.BAD_REQUEST);
                pages.render(ctx, "password.jte", frame.withError("The new password and its repetition differ: nothing was changed."));
                return;
            }
            BrowserSession session = PageGuard.session(ctx);
            try {
                session.client().passwd(null, current, fresh);
            } catch (FaxlanException e) {
                ctx.status(Pages.status(e));
                pages.render(ctx, "password.jte", frame.withError("Password not changed: " + Pages.say(e)));
                return;
            }
            // The server ended every session of this user, this browser's CPI session too.
            sessions.end(ctx.cookie(PageGuard.SESSION_COOKIE));
            PageGuard.setCookie(ctx, PageGuard.SESSION_COOKIE, "", 0);
            ctx.redirect("/login?notice=" + java.net.URLEncoder.encode("Password changed: log in with the new one.", java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            Arrays.fill(current, '\0');
            Arrays.fill(fresh, '\0');
            Arrays.fill(repeat, '\0');
        }
    }
}
