package dev.faxlan.cli.settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

/**
 * Reads the settings every service command's properties file shares (the key check, whole numbers,
 * password files) and collects one line per problem instead of stopping at the first, so that all
 * of a file's mistakes are reported together.
 */
public final class SettingsReader {
    private final Properties p;
    private final List<String> problems;

    /** Problems are added to {@code problems}, which the caller reports. */
    public SettingsReader(Properties p, List<String> problems) {
        this.p = p;
        this.problems = problems;
    }

    /** One problem for each key that none of {@code known} lists. */
    @SafeVarargs
    public final void rejectUnknownKeys(Collection<String>... known) {
        for (String key : p.stringPropertyNames()) {
            boolean listed = false;
            for (Collection<String> keys : known) listed |= keys.contains(key);
            if (!listed) unknownKey(key);
        }
    }

    /** The problem of a key the command does not read: most often a typing mistake, which must not go unnoticed. */
    public void unknownKey(String key) {
        problems.add("unknown setting '" + key + "'");
    }

    /** The whole number {@code key} from {@code min} to {@code max}, or {@code dflt} when it is not set (or is wrong: a problem). */
    public int number(String key, int dflt, int min, int max) {
        String v = p.getProperty(key);
        if (v == null) return dflt;
        try {
            long n = Long.parseLong(v.strip());
            if (n >= min && n <= max) return (int) n;
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key + " must be a whole number from " + min + " to " + max + ", not '" + v.strip() + "'");
        return dflt;
    }

    /** The text of {@code file}, named by {@code key}, stripped; null when unreadable. An empty one is a problem too. */
    public char[] secretFile(String key, String file) {
        return secret(key, file, false);
    }

    /** Like {@link #secretFile} but only the file's first line counts. */
    public char[] secretFileFirstLine(String key, String file) {
        return secret(key, file, true);
    }

    private char[] secret(String key, String file, boolean firstLine) {
        try {
            String text = Files.readString(Path.of(file));
            text = (firstLine ? text.lines().findFirst().orElse("") : text).strip();
            if (text.isEmpty()) problems.add(key + " " + file + " is empty");
            return text.toCharArray();
        } catch (IOException e) {
            problems.add(key + " " + file + " cannot be read: " + e.getMessage());
            return null;
        }
    }
}
