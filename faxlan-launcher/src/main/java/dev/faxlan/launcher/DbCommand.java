package dev.faxlan.launcher;

import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.DatabaseCopy;
import dev.faxlan.server.storage.DatabaseSettings;
import dev.faxlan.server.storage.Dialect;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code faxlan db}: the server's database, for administrators on the server's host. */
@Command(name = "db", mixinStandardHelpOptions = true, description = "The server's database (run on the server's host).",
        subcommands = DbCommand.MigrateTo.class)
final class DbCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new FaxlanException("give a subcommand: faxlan db migrate-to URL", 2);
    }

    @Command(name = "migrate-to", mixinStandardHelpOptions = true,
            description = "Copy the embedded H2 database of a stopped server into an empty PostgreSQL database (migrated to the same"
                    + " version first); then point the server at it (db.url or FAXLAN_DB_URL). Documents stay in the spool directory.")
    static final class MigrateTo implements Callable<Integer> {
        @Parameters(paramLabel = "URL", description = "the target, jdbc:postgresql://HOST[:PORT]/DATABASE (no password in it)")
        String url;

        @Option(names = "--data", paramLabel = "DIR", description = "the server's data directory (default: ./faxlan-data)")
        Path data = Path.of("faxlan-data");

        @Option(names = "--user", paramLabel = "NAME", description = "the database user (default: $FAXLAN_DB_USER, else faxlan)")
        String user;

        @Option(names = "--password-file", paramLabel = "FILE", description = "file whose first line is the database password"
                + " (default: $FAXLAN_DB_PASSWORD_FILE)")
        Path passwordFile;

        @Override
        public Integer call() throws Exception {
            Map<String, String> env = System.getenv();
            DatabaseSettings target;
            try {
                if (Dialect.ofUrl(url) != Dialect.POSTGRESQL) throw new IllegalArgumentException("the target must be a PostgreSQL URL (jdbc:postgresql://…), not " + Database.scrubbed(url));
                java.util.Properties p = new java.util.Properties();
                p.setProperty("db.url", url);
                if (user != null) p.setProperty("db.user", user);
                if (passwordFile != null) p.setProperty("db.password-file", passwordFile.toString());
                // The options win over the environment here: they are given for this one command.
                Map<String, String> e = new java.util.HashMap<>(env);
                e.remove("FAXLAN_DB_URL");
                if (user != null) e.remove("FAXLAN_DB_USER");
                if (passwordFile != null) e.remove("FAXLAN_DB_PASSWORD_FILE");
                target = DatabaseSettings.from(p, e, Path.of(""));
            } catch (IllegalArgumentException e) {
                throw new FaxlanException(e.getMessage(), 2);
            }
            Path dbFile = data.resolve("db").resolve("faxlan.mv.db");
            if (!Files.isRegularFile(dbFile)) {
                throw new FaxlanException("no embedded database in " + data.toAbsolutePath() + " (expected " + dbFile + "); give the server's --data DIR", 2);
            }
            Database from;
            try {
                from = Database.embedded(data);
            } catch (RuntimeException e) {
                if (ServerCommand.databaseInUse(e)) {
                    throw new FaxlanException("the database in " + data.toAbsolutePath() + " is in use by a running faxlan server: stop it first,"
                            + " so that nothing changes while it is copied", 1);
                }
                throw e;
            }
            try (from) {
                Database to;
                try {
                    to = Database.open(target.url(), target.user(), target.password(), 2);
                } catch (Database.Unreachable e) {
                    throw new FaxlanException(e.getMessage(), e.loginRefused() ? 3 : 4);
                }
                try (to) {
                    Map<String, Long> copied = DatabaseCopy.copy(from, to);
                    long total = copied.values().stream().mapToLong(Long::longValue).sum();
                    StringBuilder out = new StringBuilder("copied " + total + " rows from " + data.toAbsolutePath().resolve("db") + " to "
                            + Database.scrubbed(url) + ":\n");
                    copied.forEach((t, n) -> out.append(String.format("  %-28s %8d%n", t, n)));
                    out.append("next: start the server with db.url=").append(Database.scrubbed(url))
                            .append(" (or FAXLAN_DB_URL), db.user and db.password-file; documents stay in ")
                            .append(data.toAbsolutePath().resolve("spool"))
                            .append(", which every node needs. The H2 database in ").append(data.toAbsolutePath().resolve("db"))
                            .append(" is left as it was; keep it until the server runs on PostgreSQL.");
                    System.out.println(out);
                    return 0;
                } catch (DatabaseCopy.TargetNotEmpty e) {
                    throw new FaxlanException(e.getMessage(), 1);
                }
            }
        }
    }
}
