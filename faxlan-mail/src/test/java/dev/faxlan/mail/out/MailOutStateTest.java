package dev.faxlan.mail.out;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailOutStateTest {
    @TempDir
    Path dir;

    @Test
    void whatWasMailedIsThereAfterAReopenAndOnlyThat() throws Exception {
        Path file = dir.resolve("state").resolve("mail-out.state");
        MailOutState first = MailOutState.open(file);
        assertThat(first.fresh()).isTrue();
        first.add(MailOutState.key("job", 17, "alice@example.org"));
        first.add(MailOutState.key("fax", 5, "-"));
        MailOutState again = MailOutState.open(file);
        assertThat(again.fresh()).isFalse();
        assertThat(again.done("job 17 alice@example.org")).isTrue();
        assertThat(again.done("fax 5 -")).isTrue();
        assertThat(again.done("job 18 alice@example.org")).isFalse();
        assertThat(Files.exists(file.resolveSibling("mail-out.state.tmp"))).as("the temporary file is renamed over the state").isFalse();
    }

    @Test
    void linesOfJobsNoLongerListedAreForgotten() throws Exception {
        Path file = dir.resolve("mail-out.state");
        MailOutState s = MailOutState.open(file);
        s.add("job 1 a@example.org");
        s.add("job 2 a@example.org");
        s.retain(k -> k.startsWith("job 2 "));
        assertThat(MailOutState.open(file).done("job 1 a@example.org")).isFalse();
        assertThat(MailOutState.open(file).done("job 2 a@example.org")).isTrue();
    }
}
