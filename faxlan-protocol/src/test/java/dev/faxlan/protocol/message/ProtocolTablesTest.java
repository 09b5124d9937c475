package dev.faxlan.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProtocolTablesTest {
    static final Path DOC = Path.of("..", "docs", "protocol.md");

    @Test
    void theDocumentsFieldTablesAreTheOnesTheMessagesMake() throws Exception {
        String doc = Files.readString(DOC);
        assertThat(doc).as("docs/protocol.md differs from the typed messages; run ProtocolTables.main to write its tables anew")
                .isEqualTo(ProtocolTables.rewrite(doc));
    }

    @Test
    void aFieldTheMessagesDoNotHaveMakesTheDocumentDiffer() {
        String doc = "# x\n" + ProtocolTables.BEGIN + "\n" + ProtocolTables.markdown().replace("`sha256` text", "`sha` text") + ProtocolTables.END + "\n";
        assertThat(ProtocolTables.rewrite(doc)).isNotEqualTo(doc).contains("`sha256` text");
    }

    @Test
    void everyOperationAndEveryNestedMapHasARow() {
        String tables = ProtocolTables.markdown();
        for (Operations.Binding b : Operations.all()) assertThat(tables).contains("| `" + b.op().wire() + "` |");
        assertThat(tables).contains("| job | `id` integer,", "| fax | `id` integer,", "| route | `id` integer,", "`bad_lines` integer *optional*");
    }
}
