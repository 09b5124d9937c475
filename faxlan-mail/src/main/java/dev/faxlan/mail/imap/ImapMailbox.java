package dev.faxlan.mail.imap;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.UIDFolder;
import java.io.IOException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * One connection to the polled mailbox (Angus Mail): the folder being read, open for writing, and the
 * folders {@code faxlan/done} and {@code faxlan/failed} beside it, created when missing. Any
 * {@link MessagingException} from here means the connection is of no further use: the poller closes
 * it and connects again.
 */
final class ImapMailbox implements AutoCloseable {
    static final String DONE = "done";
    static final String FAILED = "failed";

    private final IMAPStore store;
    private final IMAPFolder folder;
    private final Folder done;
    private final Folder failed;

    private ImapMailbox(IMAPStore store, IMAPFolder folder, Folder done, Folder failed) {
        this.store = store;
        this.folder = folder;
        this.done = done;
        this.failed = failed;
    }

    /** Logs in (reading the password or token file now) and opens the folder. */
    static ImapMailbox open(ImapAccount account, int readTimeoutMillis) throws MessagingException, IOException {
        Session session = Session.getInstance(account.sessionProperties(readTimeoutMillis));
        IMAPStore store = (IMAPStore) session.getStore(account.protocol());
        store.connect(account.host(), account.port(), account.user(), new String(account.secret()));
        try {
            IMAPFolder folder = (IMAPFolder) store.getFolder(account.folder());
            if (!folder.exists()) throw new MessagingException("the folder " + account.folder() + " does not exist in the mailbox");
            folder.open(Folder.READ_WRITE);
            return new ImapMailbox(store, folder, ensure(store, DONE), ensure(store, FAILED));
        } catch (MessagingException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * {@code faxlan/NAME} in the personal namespace, written with the server's hierarchy separator
     * (Dovecot's Maildir has '.', others '/'), created when missing.
     */
    private static Folder ensure(IMAPStore store, String name) throws MessagingException {
        Folder[] personal = store.getPersonalNamespaces();
        Folder root = personal.length > 0 ? personal[0] : store.getDefaultFolder();
        char sep = root.getSeparator();
        String prefix = root.getFullName().isEmpty() ? "" : root.getFullName() + sep;
        Folder f = store.getFolder(prefix + "faxlan" + sep + name);
        if (!f.exists() && !f.create(Folder.HOLDS_MESSAGES)) throw new MessagingException("cannot create the folder " + f.getFullName());
        return f;
    }

    boolean offersIdle() throws MessagingException {
        return store.hasCapability("IDLE");
    }

    boolean offersMove() throws MessagingException {
        return store.hasCapability("MOVE");
    }

    /** The messages in the folder now, with the headers and sizes fetched in one round. */
    Message[] messages() throws MessagingException {
        Message[] all = folder.getMessages();
        FetchProfile fp = new FetchProfile();
        fp.add(FetchProfile.Item.ENVELOPE);
        fp.add(FetchProfile.Item.FLAGS);
        fp.add(FetchProfile.Item.SIZE);
        fp.add(UIDFolder.FetchProfileItem.UID);
        folder.fetch(all, fp);
        return all;
    }

    /**
     * Moves a message to {@code faxlan/done} or {@code faxlan/failed}: MOVE (RFC 6851) where the server
     * has it, which leaves the message in exactly one folder whatever happens to the connection; else
     * COPY, \Deleted and EXPUNGE of that message alone (UID EXPUNGE, RFC 4315) or of the folder.
     */
    String move(Message m, String to) throws MessagingException {
        Folder target = to.equals(DONE) ? done : failed;
        Message[] one = {m};
        if (offersMove()) {
            folder.moveMessages(one, target);
        } else {
            folder.copyMessages(one, target);
            m.setFlag(Flags.Flag.DELETED, true);
            if (store.hasCapability("UIDPLUS")) folder.expunge(one);
            else folder.expunge();
        }
        return target.getFullName();
    }

    /**
     * Waits in IDLE (RFC 2177) until the server reports a change or {@link #wake} is called from
     * another thread. Returns at once when the server has no IDLE.
     */
    void idle() throws MessagingException {
        if (offersIdle()) folder.idle(true);
    }

    /** Ends an {@link #idle} in another thread: Angus ends IDLE when another command wants the connection. */
    void wake() {
        try {
            folder.doCommandIgnoreFailure(p -> {
                p.simpleCommand("NOOP", null);
                return null;
            });
        } catch (MessagingException | RuntimeException e) {
            // the connection is gone: the waiting thread learns it itself
        }
    }

    @Override
    public void close() {
        try {
            if (folder.isOpen()) folder.close(false);
        } catch (MessagingException | RuntimeException e) {
            // closing a dead connection
        }
        try {
            store.close();
        } catch (MessagingException | RuntimeException e) {
            // closing a dead connection
        }
    }
}
