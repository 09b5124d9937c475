package dev.faxlan.mail.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The allow-list settings: senders.file, senders.networks, gateway.user, gateway.password.file. */
class SmtpGatewayConfigTest {
    @TempDir
    Path dir;

    @Test
    void anAllowListWithTheGatewaysAccount() throws Exception {
        Files.writeString(dir.resolve("senders"), "alice@example.org alice\n*@example.net bob\n");
        password("gw.pw", "the-gateway-password\nignored\n");
        SmtpGatewayConfig c = SmtpGatewayConfig.parse(props("fax.domain", "fax.example.org", "senders.file", "senders", "senders.networks",
                "192.0.2.0/24, 2001:db8::/32 127.0.0.1", "gateway.user", "mailgw", "gateway.password.file", "gw.pw"), dir);

        assertThat(c.allowsSendersWithoutAuth()).isTrue();
        assertThat(c.senders().accountOf("someone@example.net")).contains("bob");
        assertThat(c.senderNetworks()).hasSize(3);
        assertThat(c.senderNetworks().stream().anyMatch(n -> n.contains(ip("192.0.2.77")))).isTrue();
        assertThat(c.senderNetworks().stream().anyMatch(n -> n.contains(ip("127.0.0.2")))).isFalse();
        assertThat(c.gatewayUser()).isEqualTo("mailgw");
        assertThat(new String(c.gatewayPassword())).isEqualTo("the-gateway-password");
        assertThat(c.toString()).doesNotContain("the-gateway-password");
    }

    @Test
    void sendersAreTrustedFromLoopbackOnlyUnlessConfigured() throws Exception {
        Files.writeString(dir.resolve("senders"), "alice@example.org alice\n");
        password("gw.pw", "the-gateway-password\n");
        SmtpGatewayConfig c = SmtpGatewayConfig.parse(props("fax.domain", "fax.example.org", "senders.file", "senders", "gateway.user", "mailgw",
                "gateway.password.file", "gw.pw"), dir);
        assertThat(c.senderNetworks()).hasToString("[127.0.0.0/8, ::1]");
    }

    @Test
    void withoutAnAllowListEverySessionMustLogIn() throws Exception {
        SmtpGatewayConfig c = SmtpGatewayConfig.parse(props("fax.domain", "fax.example.org", "auth.without.tls", "loopback"), dir);
        assertThat(c.allowsSendersWithoutAuth()).isFalse();
        assertThat(c.gatewayUser()).isNull();
    }

    @Test
    void everyProblemOfTheAllowListSettingsIsListed() throws Exception {
        Files.writeString(dir.resolve("senders"), "alice@example.org alice\nbroken line here\n");
        password("open.pw", "secret-password\n");
        Files.setPosixFilePermissions(dir.resolve("open.pw"), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> SmtpGatewayConfig.parse(props("fax.domain", "fax.example.org", "senders.file", "senders", "senders.networks",
                "10.0.0.0/33, example.org", "gateway.password.file", "open.pw"), dir))
                .isInstanceOfSatisfying(SmtpGatewayConfig.Invalid.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "senders.networks: '10.0.0.0/33': the prefix length is at most 32",
                        "senders.networks: 'example.org' is not an IP address or network (e.g. 192.0.2.0/24, 198.51.100.7 or 2001:db8::/32)",
                        "senders.file " + dir.resolve("senders") + " line 2: expected ADDRESS ACCOUNT, not 'broken line here'",
                        "gateway.user is missing (the gateway's own account, of role gateway, that faxes for the senders of senders.file)",
                        "gateway.password.file " + dir.resolve("open.pw") + " can be read by others: make it the owner's alone (chmod 600)"));
    }

    @Test
    void missingFilesAndSettingsWithoutAnAllowListAreProblems() {
        assertThatThrownBy(() -> SmtpGatewayConfig.parse(props("fax.domain", "fax.example.org", "senders.file", "nowhere", "gateway.user", "mailgw",
                "gateway.password.file", "none.pw"), dir))
                .isInstanceOfSatisfying(SmtpGatewayConfig.Invalid.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "senders.file " + dir.resolve("nowhere") + ": no such file",
                        "gateway.password.file " + dir.resolve("none.pw") + ": no such file"));
        assertThatThrownBy(() -> SmtpGatewayConfig.parse(props("fax.domain", "fax.example.org", "gateway.user", "mailgw", "auth.without.tls", "loopback"), dir))
                .isInstanceOfSatisfying(SmtpGatewayConfig.Invalid.class, e -> assertThat(e.problems())
                        .containsExactly("gateway.user is set but senders.file is not: without an allow-list every session must log in"));
    }

    @Test
    void theCommandListsEveryProblemOneLineEachAndExits2() throws Exception {
        Path cfg = Files.writeString(dir.resolve("gw.properties"),
                "fax.domain=fax.example.org\nsenders.file=senders\nsenders.networks=loopback\ngateway.user=mailgw\n");
        Files.writeString(dir.resolve("senders"), "alice@example.org\n");
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new SmtpGatewayCommand()).setErr(new PrintWriter(err, true))
                .execute("--listen", "127.0.0.1:0", "--server", "127.0.0.1", "--config", cfg.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(3).allMatch(l -> l.startsWith("faxlan: " + cfg + ": "));
        assertThat(err.toString()).contains("senders.networks: 'loopback' is not an IP address", "line 1: expected ADDRESS ACCOUNT",
                "gateway.password.file is missing").doesNotContain("Exception");
    }

    private void password(String name, String content) throws Exception {
        Path f = Files.writeString(dir.resolve(name), content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    }

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
        return p;
    }
}
