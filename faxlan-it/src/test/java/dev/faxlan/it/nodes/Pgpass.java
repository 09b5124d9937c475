package dev.faxlan.it.nodes;

import dev.faxlan.testkit.PostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A server in the test's JVM reaches a new database of {@code pg} with the user in the URL and the
 * password from a pgpass file, which the PostgreSQL driver reads when no password is given: the URL
 * may carry no password, and the test cannot set the server's environment. One file for the JVM, a
 * line per database, as the driver reads it again at every new connection (after a restart too).
 */
final class Pgpass {
    private static Path file;

    private Pgpass() {}

    static synchronized String url(PostgresCluster pg) throws Exception {
        if (file == null) {
            file = Files.createTempFile("faxlan-pgpass", "", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            file.toFile().deleteOnExit();
            System.setProperty("org.postgresql.pgpassfile", file.toString());
        }
        String database = pg.createDatabase();
        Files.writeString(file, "127.0.0.1:" + pg.port() + ":" + database + ":" + pg.user() + ":" + pg.password() + "\n", StandardOpenOption.APPEND);
        return pg.jdbcUrl(database) + "?user=" + pg.user();
    }
}
