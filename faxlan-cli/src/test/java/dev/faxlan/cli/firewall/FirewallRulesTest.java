package dev.faxlan.cli.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirewallRulesTest {
    @TempDir
    Path dir;

    private static RuleSet rules(String server, String clients, boolean stateful, boolean input) throws Exception {
        return CpiRules.build(InetAddress.getByName(server), 4644, clients == null ? null : Cidr.parse(clients), stateful, input, SipPorts.defaults());
    }

    private static List<String> loaded(String text) {
        return text.lines().filter(l -> !l.startsWith("#")).toList();
    }

    @Test
    void statelessIsExactlyTheNotesRequestAndReplyRulesWithoutConntrack() throws Exception {
        String nft = NftFormat.render(rules("192.0.2.10", "198.51.100.0/24", false, false));
        assertThat(loaded(nft)).containsExactly(
                "table inet faxlan {",
                "\tchain forward {",
                "\t\ttype filter hook forward priority filter; policy drop;",
                "\t\tip saddr 198.51.100.0/24 ip daddr 192.0.2.10 udp dport 4644 accept comment \"" + CpiRules.REQUESTS + "\"",
                "\t\tip saddr 192.0.2.10 ip daddr 198.51.100.0/24 udp sport 4644 accept comment \"" + CpiRules.REPLIES + "\"",
                "\t}",
                "}",
                "");
        assertThat(nft).doesNotContain(" ct ");
    }

    @Test
    void statefulTakesNewFlowsFromClientsAndEstablishedOnes() throws Exception {
        String ipt = IptablesFormat.render(rules("192.0.2.10", null, true, false));
        assertThat(loaded(ipt)).containsExactly(
                "*filter",
                ":FORWARD DROP [0:0]",
                ":INPUT ACCEPT [0:0]",
                ":OUTPUT ACCEPT [0:0]",
                "-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -m comment --comment \"" + CpiRules.ESTABLISHED + "\" -j ACCEPT",
                "-A FORWARD -d 192.0.2.10 -p udp --dport 4644 -m conntrack --ctstate NEW -m comment --comment \"" + CpiRules.NEW_REQUESTS + "\" -j ACCEPT",
                "COMMIT");
    }

    @Test
    void inputRulesGuardTheServerHostAndKeepLoopback() throws Exception {
        String nft = NftFormat.render(rules("192.0.2.10", null, false, true));
        assertThat(nft).contains("chain input {\n\t\ttype filter hook input priority filter; policy drop;")
                .contains("chain output {\n\t\ttype filter hook output priority filter; policy drop;")
                .contains("iif \"lo\" accept").contains("oif \"lo\" accept")
                .contains("udp dport 4644 accept comment \"" + CpiRules.REQUESTS + " (and discovery)\"")
                .contains("udp sport 4644 accept comment \"" + CpiRules.REPLIES + "\"")
                .doesNotContain("chain forward");
    }

    @Test
    void ipv6AddressesInShortFormAndFamiliesMustAgree() throws Exception {
        String nft = NftFormat.render(rules("fd00:0:0:0:0:0:0:2", "fd00:1::/64", false, false));
        assertThat(nft).contains("ip6 saddr fd00:1::/64 ip6 daddr fd00::2 udp dport 4644");
        assertThat(IptablesFormat.render(rules("fd00::2", null, false, false))).contains("ip6tables-restore");
        assertThatThrownBy(() -> rules("192.0.2.10", "fd00::/8", false, false)).hasMessageContaining("is IPv6 but the server address 192.0.2.10 is IPv4");
        assertThat(Cidr.parse("10.1.2.3/16").toString()).isEqualTo("10.1.0.0/16");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("0 to 32");
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).hasMessageContaining("not an address block");
    }

    @Test
    void sipSectionIsCommentedOutAndFollowsTheServersConfiguration() throws Exception {
        Path cfg = dir.resolve("server.properties");
        Files.writeString(cfg, """
                sip.port=5070
                sip.media-ports=30000-30099
                line.a.registrar=sip.example.net
                line.b.registrar=sip2.example.net:5080
                line.b.transport=tcp
                line.c.registrar=sip3.example.net
                line.c.enabled=false
                line.loopback.channels=2
                """);
        SipPorts sip = SipPorts.read(cfg);
        assertThat(sip.sipPorts()).isEqualTo("5070-5071");
        assertThat(sip.transports()).containsExactly("tcp", "udp");
        assertThat(sip.mediaPorts()).isEqualTo("30000-30099");
        String nft = NftFormat.render(CpiRules.build(InetAddress.getByName("192.0.2.10"), 4644, null, false, false, sip));
        assertThat(nft).contains("not the trunk side").contains("SIP lines a, b on ports 5070-5071")
                .contains("# add rule inet faxlan forward ip daddr 192.0.2.10 tcp dport 5070-5071 accept")
                .contains("# add rule inet faxlan forward ip daddr 192.0.2.10 udp dport 30000-30099 accept");
        assertThat(loaded(nft)).noneMatch(l -> l.contains("5070") || l.contains("30000"));
        String ipt = IptablesFormat.render(CpiRules.build(InetAddress.getByName("192.0.2.10"), 4644, null, false, false, sip));
        assertThat(ipt).contains("# -A FORWARD -d 192.0.2.10 -p udp --dport 30000:30099");
    }

    @Test
    void badSipSettingsAreNamed() throws Exception {
        Path cfg = dir.resolve("bad.properties");
        Files.writeString(cfg, "sip.media-ports=20999-20000\n");
        assertThatThrownBy(() -> SipPorts.read(cfg)).hasMessage("sip.media-ports=20999-20000: expected a port range FIRST-LAST within 1024-65535, e.g. 20000-20999");
        assertThatThrownBy(() -> SipPorts.read(dir.resolve("missing"))).hasMessageEndingWith("missing: no such file");
    }
}
