package dev.faxlan.mail.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailOutConfigTest {
    @TempDir
    Path dir;

    /** The example in docs/mail.md, with its password files made here: it parses, and means what the text says. */
    @Test
    void theDocumentedExampleParses() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "mail.md"));
        Matcher m = Pattern.compile("```properties\\n# /etc/faxlan/mail-out.properties\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(m.find()).as("docs/mail.md has the mail-out example").isTrue();
        String text = m.group(1);
        for (String file : new String[] {"/etc/faxlan/mail-out.password", "/etc/faxlan/smarthost.password"}) {
            Path local = Files.writeString(dir.resolve(Path.of(file).getFileName()), "secret-password-1\n");
            text = text.replace(file, local.toString());
        }
        Properties p = new Properties();
        p.load(new StringReader(text));
        MailOutConfig c = MailOutConfig.parse(p);
        assertThat(c.user()).isEqualTo("mailout");
        assertThat(new String(c.password())).isEqualTo("secret-password-1");
        assertThat(c.smarthost().tls()).isEqualTo("starttls");
        assertThat(c.smarthost().port()).isEqualTo(587);
        assertThat(c.reportsFor("alice")).isTrue();
        assertThat(c.reportsFor("bob")).isFalse();
        assertThat(c.receivedFor("Legal")).isEqualTo(MailOutConfig.Received.NOTICE);
        assertThat(c.receivedFor("alice")).isEqualTo(MailOutConfig.Received.PDF);
        assertThat(c.addresses().get("carol").getAddress()).isEqualTo("carol@example.org");
        assertThat(c.toString()).doesNotContain("secret");
    }

    @Test
    void everyProblemIsListedOneLineEach() {
        Properties p = new Properties();
        p.setProperty("address.alice", "not an address@@");
        p.setProperty("reports.bob", "maybe");
        p.setProperty("received.Legal", "fax");
        p.setProperty("poll.seconds", "0");
        p.setProperty("colour", "blue");
        p.setProperty("server.password.file", dir.resolve("missing").toString());
        assertThatThrownBy(() -> MailOutConfig.parse(p)).isInstanceOfSatisfying(MailOutConfig.Invalid.class, e -> assertThat(e.problems())
                .anyMatch(l -> l.startsWith("address.alice 'not an address@@' is not a mail address"))
                .contains("reports.bob must be on or off, not 'maybe'", "received.Legal must be pdf, notice or off, not 'fax'",
                        "poll.seconds must be a whole number from 1 to 3600, not '0'", "unknown setting 'colour'",
                        "server.user is missing (an administrator account: mail-out reads every user's jobs and mailboxes)",
                        "smarthost.host is missing (the mail server that sends faxlan's mail)")
                .anyMatch(l -> l.startsWith("server.password.file " + dir.resolve("missing") + " cannot be read"))
                .anyMatch(l -> l.startsWith("state.file is missing"))
                .hasSize(10));
    }
}
