package dev.faxlan.mail.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code faxlan mail-poller}'s configuration: every problem listed, the safe choices by default. */
class MailPollerConfigTest {
    @TempDir
    Path dir;

    Properties valid() throws Exception {
        Properties p = new Properties();
        p.setProperty("imap.host", "imap.example.org");
        p.setProperty("imap.user", "fax@example.org");
        p.setProperty("imap.password.file", Files.writeString(dir.resolve("imap.pw"), "imap-secret\n").toString());
        p.setProperty("fax.domain", "fax.example.org");
        p.setProperty("server.user", "mailfax");
        p.setProperty("server.password.file", Files.writeString(dir.resolve("fax.pw"), "fax-secret\n").toString());
        p.setProperty("senders.file", Files.writeString(dir.resolve("senders"), "# the office\nAlice@Example.org\n@branch.example.org\n").toString());
        p.setProperty("state.dir", dir.resolve("state").toString());
        p.setProperty("smarthost.host", "mail.example.org");
        p.setProperty("smarthost.from", "fax@example.org");
        return p;
    }

    @Test
    void aValidFileGivesImapsOn993AndOnlyTheListedSenders() throws Exception {
        MailPollerConfig c = MailPollerConfig.parse(valid());
        assertThat(c.imap().tls()).isEqualTo("imaps");
        assertThat(c.imap().port()).isEqualTo(993);
        assertThat(c.imap().folder()).isEqualTo("INBOX");
        assertThat(c.imap().oauth2()).isFalse();
        assertThat(new String(c.imap().secret())).isEqualTo("imap-secret");
        assertThat(c.senderAllowed("alice@example.org")).isTrue();
        assertThat(c.senderAllowed("bob@branch.example.org")).isTrue();
        assertThat(c.senderAllowed("mallory@example.com")).isFalse();
        assertThat(c.toString()).doesNotContain("secret");
    }

    @Test
    void everyProblemIsListedOneLineEach() throws Exception {
        Properties p = valid();
        p.setProperty("imap.tls", "none");
        p.setProperty("imap.token.file", dir.resolve("token").toString());
        p.remove("senders.file");
        p.setProperty("poll.seconds", "0");
        p.setProperty("imap.folder ", "x");
        p.remove("smarthost.from");
        assertThatThrownBy(() -> MailPollerConfig.parse(p)).isInstanceOfSatisfying(MailPollerConfig.Invalid.class, e -> assertThat(e.problems())
                .containsExactlyInAnyOrder("unknown setting 'imap.folder '",
                        "imap.tls=none sends the mailbox password in clear text: it is allowed only for a loopback host, not imap.example.org",
                        "set exactly one of imap.password.file (a password) and imap.token.file (an OAuth2 bearer token)",
                        "poll.seconds must be a whole number from 1 to 3600, not '0'",
                        "senders.file is missing (the sender addresses served, one a line; or senders=all for every sender)",
                        "smarthost.from is missing (the sender address of faxlan's mail, such as fax@example.org)"));
    }

    @Test
    void aTokenFileIsOAuth2AndPlainImapIsAllowedOnLoopback() throws Exception {
        Properties p = valid();
        p.remove("imap.password.file");
        p.setProperty("imap.token.file", Files.writeString(dir.resolve("token"), "ya29.token").toString());
        p.setProperty("imap.host", "127.0.0.1");
        p.setProperty("imap.tls", "none");
        p.remove("senders.file");
        p.setProperty("senders", "all");
        MailPollerConfig c = MailPollerConfig.parse(p);
        assertThat(c.imap().oauth2()).isTrue();
        assertThat(c.imap().port()).isEqualTo(143);
        assertThat(c.imap().sessionProperties(1000).getProperty("mail.imap.auth.mechanisms")).isEqualTo("XOAUTH2");
        assertThat(c.senderAllowed("anyone@anywhere.example")).isTrue();
    }

    @Test
    void theCommandPrintsEachProblemAndExits2() throws Exception {
        Path cfg = Files.writeString(dir.resolve("poller.properties"), "imap.tls=plain\nfax.domain=fax example\n");
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new MailPollerCommand()).setErr(new PrintWriter(err, true)).execute("--server", "127.0.0.1", "--config", cfg.toString());
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines()).allMatch(l -> l.startsWith("faxlan: " + cfg + ": ")).hasSizeGreaterThan(5)
                .anyMatch(l -> l.endsWith("imap.tls must be imaps, starttls or none, not 'plain'"))
                .anyMatch(l -> l.endsWith("fax.domain 'fax example' is not a domain name"));
        assertThat(err.toString()).doesNotContain("Exception");
    }
}
