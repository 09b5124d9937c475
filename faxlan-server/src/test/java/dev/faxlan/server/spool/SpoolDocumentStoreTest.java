package dev.faxlan.server.spool;

import dev.faxlan.server.core.port.DocumentStore;
import dev.faxlan.server.core.port.DocumentStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The document store contract on the spool directory. */
class SpoolDocumentStoreTest implements DocumentStoreContract {
    @TempDir
    Path root;
    private Spool spool;

    @BeforeEach
    void open() throws Exception {
        spool = new Spool(root.resolve("spool"));
    }

    @Override
    public DocumentStore store() {
        return spool;
    }
}
