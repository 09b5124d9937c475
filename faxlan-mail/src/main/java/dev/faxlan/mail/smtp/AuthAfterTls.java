package dev.faxlan.mail.smtp;

import java.io.IOException;
import java.util.List;
import org.subethamail.smtp.AuthenticationHandler;
import org.subethamail.smtp.AuthenticationHandlerFactory;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.server.CommandException;
import org.subethamail.smtp.internal.server.CommandHandler;
import org.subethamail.smtp.internal.server.HelpMessage;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * AUTH only where the password cannot be read on the way: after STARTTLS, or in clear text from a
 * loopback client when {@code auth.without.tls=loopback}. Before that, {@code EHLO} does not offer
 * AUTH and an {@code AUTH} command is answered 538 5.7.11 (RFC 4954 §6).
 *
 * <p>SubEthaSMTP's own {@code requireTLS} decides per server, not per client, and refuses every
 * command before STARTTLS with 530; so the gateway wraps its EHLO and AUTH commands instead. Its
 * EHLO reads the mechanisms from the authentication factory on the session's thread, which is where
 * this factory hides them for a session that may not log in yet.
 */
final class AuthAfterTls implements AuthenticationHandlerFactory {
    static final String ENCRYPTION_REQUIRED = "538 5.7.11 Encryption required: use STARTTLS before AUTH";
    /** The same refusal where no STARTTLS is offered (no certificate, auth.without.tls=loopback). */
    static final String LOOPBACK_ONLY = "538 5.7.11 Encryption required: without STARTTLS this gateway takes logins only from its own host";

    private final AuthWithoutTls policy;
    private final AuthenticationHandlerFactory logins;
    /** Set while this thread writes the EHLO reply of a session that may not log in yet. */
    private final ThreadLocal<Boolean> hidden = ThreadLocal.withInitial(() -> false);

    AuthAfterTls(AuthWithoutTls policy, AuthenticationHandlerFactory logins) {
        this.policy = policy;
        this.logins = logins;
    }

    /** Wraps the server's EHLO and AUTH commands; call once, after building the server. */
    void install(SMTPServer smtp) {
        CommandHandler commands = smtp.getCommandHandler();
        Command ehlo = commands.getCommand("EHLO");
        Command auth = commands.getCommand("AUTH");
        commands.addCommand(new Guarded(ehlo) {
            @Override
            public void execute(String line, Session session) throws IOException, DropConnectionException {
                if (mayLogIn(session)) {
                    ehlo.execute(line, session);
                    return;
                }
                hidden.set(true);
                try {
                    ehlo.execute(line, session);
                } finally {
                    hidden.set(false);
                }
            }
        });
        commands.addCommand(new Guarded(auth) {
            @Override
            public void execute(String line, Session session) throws IOException, DropConnectionException {
                if (mayLogIn(session)) auth.execute(line, session);
                else session.sendResponse(session.getServer().getEnableTLS() ? ENCRYPTION_REQUIRED : LOOPBACK_ONLY);
            }
        });
    }

    private boolean mayLogIn(Session session) {
        // The socket's own peer, not an address a proxy header claims.
        return session.isTLSStarted() || policy.allows(session.getRealRemoteAddress());
    }

    @Override
    public List<String> getAuthenticationMechanisms() {
        return hidden.get() ? List.of() : logins.getAuthenticationMechanisms();
    }

    @Override
    public AuthenticationHandler create() {
        return logins.create();
    }

    /** A command in place of SubEthaSMTP's, with its name and help. */
    private abstract static class Guarded implements Command {
        private final Command wrapped;

        Guarded(Command wrapped) {
            this.wrapped = wrapped;
        }

        @Override
        public HelpMessage getHelp() throws CommandException {
            return wrapped.getHelp();
        }

        @Override
        public String getName() {
            return wrapped.getName();
        }
    }
}
