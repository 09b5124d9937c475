package dev.faxlan.cli.manpage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.cli.Main;
import org.junit.jupiter.api.Test;

class ManPagesTest {
    @Test
    void textCannotBecomeARoffRequest() {
        assertThat(ManPages.escape(".so /etc/passwd")).isEqualTo("\\&.so /etc/passwd");
        assertThat(ManPages.escape("'br")).isEqualTo("\\&'br");
        assertThat(ManPages.escape("a\\b --fax")).isEqualTo("a\\eb \\-\\-fax");
        assertThat(ManPages.escape("first\n.second")).isEqualTo("first\n\\&.second");
    }

    @Test
    void aSubcommandsPageNamesItAndListsItsOptionsAndParent() {
        var spec = Main.commandLine().getSubcommands().get("phonebook").getSubcommands().get("add").getCommandSpec();
        assertThat(ManPages.fileName(spec)).isEqualTo("faxlan-phonebook-add.1");
        String page = ManPages.page(spec);
        assertThat(page).startsWith(".TH \"FAXLAN\\-PHONEBOOK\\-ADD\" 1 ").contains(".SH NAME\nfaxlan\\-phonebook\\-add \\- Add a contact.\n")
                .contains("faxlan phonebook add").contains("\\fB\\-\\-fax\\fR=\\fINUMBER\\fR").contains(".SH SEE ALSO\n\\fBfaxlan\\-phonebook\\fR(1)");
    }
}
