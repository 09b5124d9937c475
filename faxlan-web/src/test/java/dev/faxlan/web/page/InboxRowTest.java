package dev.faxlan.web.page;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.sdk.InboxFax;
import java.util.List;
import org.junit.jupiter.api.Test;

class InboxRowTest {
    static InboxFax fax(long id, long received, boolean read, String caller, String csid, String sha256) {
        return new InboxFax(id, received, "loopback", caller, "+12125550100", csid, "", "", 2, 0, 1000, "OK", 100, sha256, "alice", read);
    }

    @Test
    void unreadFaxesComeFirstThenTheNewest() {
        List<InboxFax> faxes = List.of(fax(1, 1_000, true, "a", "", "x"), fax(2, 2_000, false, "b", "", "x"), fax(3, 3_000, true, "c", "", "x"),
                fax(4, 500, false, "d", "", "x"));
        assertThat(faxes.stream().sorted(InboxRow.ORDER).map(InboxFax::id)).containsExactly(2L, 4L, 3L, 1L);
    }

    @Test
    void theSenderIsTheCallerElseTheFaxIdentificationAndAFaxWithoutADocumentHasNoPages() {
        assertThat(InboxRow.of(fax(1, 0, false, "+4930111", "SENDER", "ab")).from()).isEqualTo("+4930111");
        assertThat(InboxRow.of(fax(1, 0, false, "", "SENDER", "ab")).from()).isEqualTo("SENDER");
        assertThat(InboxRow.of(fax(1, 0, false, "", "", "ab")).from()).isEqualTo("unknown");
        assertThat(InboxRow.of(fax(1, 0, false, "", "", null)).hasPages()).isFalse();
        assertThat(InboxRow.of(fax(1, 0, false, "", "", "ab")).hasPages()).isTrue();
    }
}
