package dev.faxlan.mail.out;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What mail-out has handled, one line per message sent (or decided not to send): {@code job ID ADDRESS}
 * or {@code fax ID ADDRESS}, {@code -} for the address when there was nobody to mail. The file is
 * rewritten whole after each message, through a temporary file that is synced and then renamed over
 * it, so a crash leaves either the old or the new list, never half a file. A message whose sending
 * failed has no line and is tried again at the next poll, after a restart too.
 */
final class MailOutState {
    private final Path file;
    private final Set<String> handled = new HashSet<>();
    private final boolean fresh;

    private MailOutState(Path file, boolean fresh) {
        this.file = file;
        this.fresh = fresh;
    }

    /** Reads the state file, or starts an empty state when there is none yet. */
    static MailOutState open(Path file) throws IOException {
        boolean exists = Files.exists(file);
        MailOutState s = new MailOutState(file, !exists);
        if (exists) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#")) s.handled.add(line.strip());
            }
        }
        return s;
    }

    /** True when there was no state file: nothing has been mailed by this service before. */
    boolean fresh() {
        return fresh;
    }

    static String key(String kind, long id, String address) {
        return kind + " " + id + " " + address;
    }

    synchronized boolean done(String key) {
        return handled.contains(key);
    }

    /** Records one handled message and writes the file before returning. */
    synchronized void add(String key) throws IOException {
        if (handled.add(key)) save();
    }

    /** Records several at once (the baseline of a first start), one write. */
    synchronized void addAll(Collection<String> keys) throws IOException {
        if (handled.addAll(keys)) save();
    }

    /**
     * Forgets the lines of jobs and faxes the server no longer lists (deleted, or older than its
     * listing reaches), so the file does not grow for ever.
     */
    synchronized void retain(Predicate<String> stillListed) throws IOException {
        if (handled.removeIf(k -> !stillListed.test(k))) save();
    }

    synchronized int size() {
        return handled.size();
    }

    private void save() throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        StringBuilder text = new StringBuilder("# faxlan mail-out: messages sent (kind id address)\n");
        for (String k : new TreeSet<>(handled)) text.append(k).append('\n');
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(StandardCharsets.UTF_8.encode(text.toString()));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
