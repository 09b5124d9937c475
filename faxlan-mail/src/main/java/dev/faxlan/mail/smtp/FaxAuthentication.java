package dev.faxlan.mail.smtp;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.subethamail.smtp.AuthenticationHandler;
import org.subethamail.smtp.AuthenticationHandlerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMTP AUTH (PLAIN and LOGIN) checked by logging in to the fax server with the same name and
 * password: a wrong password is 535, a fax server that cannot be reached is 454 (try again later).
 * The session's identity is the {@link Account}, whose client stays logged in for all the session's
 * messages (a login per message made the gateway slow) and is closed when the session ends.
 */
final class FaxAuthentication implements AuthenticationHandlerFactory, SessionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FaxAuthentication.class);

    /** The faxlan account a session logged in as, with its logged-in client. */
    record Account(String user, FaxlanClient client) {}

    /** Thrown through SubEthaSMTP's validator, which knows only success and failure, to answer 454. */
    private static final class Deferred extends RuntimeException {
        Deferred(String message) {
            super(message, null, false, false);
        }
    }

    private final FaxServer server;
    /** The logged-in client of each session that has one: at most one per open SMTP connection. */
    private final Map<MessageContext, FaxlanClient> clients = new ConcurrentHashMap<>();

    FaxAuthentication(FaxServer server) {
        this.server = server;
    }

    @Override
    public List<String> getAuthenticationMechanisms() {
        return List.of("PLAIN", "LOGIN");
    }

    @Override
    public AuthenticationHandler create() {
        AtomicReference<Account> account = new AtomicReference<>();
        AuthenticationHandler inner = new EasyAuthenticationHandlerFactory((user, password, context) -> {
            Account a = login(user, password);
            account.set(a);
            FaxlanClient before = clients.put(context, a.client());
            if (before != null) before.close();
        }).create();
        return new AuthenticationHandler() {
            @Override
            public java.util.Optional<String> auth(String clientInput, MessageContext context) throws RejectException {
                try {
                    return inner.auth(clientInput, context);
                } catch (Deferred e) {
                    throw new RejectException(454, "4.7.0 " + e.getMessage());
                }
            }

            @Override
            public Object getIdentity() {
                return account.get();
            }
        };
    }

    @Override
    public SessionAcceptance accept(Session session) {
        return SessionAcceptance.success();
    }

    @Override
    public void onSessionEnd(Session session) {
        FaxlanClient c = clients.remove(session);
        if (c != null) c.close();
    }

    /** Closes the clients of sessions still open, when the gateway stops. */
    void closeAll() {
        clients.keySet().forEach(k -> {
            FaxlanClient c = clients.remove(k);
            if (c != null) c.close();
        });
    }

    private Account login(String user, String password) throws LoginFailedException {
        FaxlanClient c = server.as(user, password.toCharArray());
        boolean loggedIn = false;
        try {
            c.login();
            loggedIn = true;
            return new Account(user, c);
        } catch (FaxlanException.AuthenticationFailed e) {
            throw new LoginFailedException("5.7.8 authentication failed");
        } catch (FaxlanException.Unreachable e) {
            throw new Deferred("fax server unreachable, try again later");
        } catch (FaxlanException e) {
            LOG.warn("login of {} at the fax server failed: {}", user, e.getMessage());
            throw new Deferred("fax server refused the login for now, try again later");
        } finally {
            if (!loggedIn) c.close();
        }
    }
}
