package dev.faxlan.it;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Servers in child JVMs run one after another on one data directory (started, killed or stopped,
 * started again), their logs appended in one place: for tests of what a server keeps across a stop.
 */
final class ServerRestarts {
    private final Path data;
    private final Path logs;

    /** Data in {@code dir/data}, logs in {@code dir/logs}. */
    ServerRestarts(Path dir) {
        this.data = dir.resolve("data");
        this.logs = dir.resolve("logs");
    }

    /** The next server on the data, with the default configuration; waits until it listens. */
    ServerChild start() throws IOException {
        return start(null);
    }

    /** The next server on the data, with {@code config} (null: the defaults); waits until it listens. */
    ServerChild start(Path config) throws IOException {
        return ServerChild.start(data, config, logs);
    }
}
