package dev.faxlan.web.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SendDraftsTest {
    @Test
    void onlyTheLatestPreviewsPagesAreServed() {
        SendDrafts drafts = new SendDrafts();
        SendDrafts.Preview first = drafts.keep(List.of(new byte[] {1}, new byte[] {2}));
        assertThat(drafts.page(first.id(), 2)).containsExactly(2);
        SendDrafts.Preview second = drafts.keep(List.of(new byte[] {3}));
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(drafts.page(first.id(), 1)).isNull();
        assertThat(drafts.page(second.id(), 1)).containsExactly(3);
        assertThat(drafts.page(second.id(), 0)).isNull();
        assertThat(drafts.page(second.id(), 2)).isNull();
        drafts.close();
        assertThat(drafts.page(second.id(), 1)).isNull();
    }
}
