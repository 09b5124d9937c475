package dev.faxlan.lines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.protocol.HostPort;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinesConfigTest {
    @TempDir
    Path dir;

    static Properties props(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return p;
    }

    static LinesConfig parse(String text) {
        return LinesConfig.parse(props(text));
    }

    /** The problems of a configuration that must not parse. */
    static List<String> problems(String text) {
        try {
            LinesConfig.parse(props(text));
        } catch (LinesConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems in:\n" + text);
    }

    static final String TRUNK = """
            line.trunk1.registrar=sip.example.net
            line.trunk1.user=faxuser
            line.trunk1.password=s3cret
            line.trunk1.number=+15550100
            """;

    @Test
    void emptySettingsGiveTheLoopbackLineAndDefaults() {
        LinesConfig c = parse("");
        assertThat(c.lines()).hasSize(1);
        LineConfig l = c.loopback().orElseThrow();
        assertThat(l.name()).isEqualTo("loopback");
        assertThat(l.kind()).isEqualTo(LineConfig.Kind.LOOPBACK);
        assertThat(l.number()).isEqualTo("0000");
        assertThat(l.channels()).isEqualTo(4);
        assertThat(l.register()).isFalse();
        assertThat(c.loopbackNumbers()).containsExactly("0000");
        assertThat(c.sipLines()).isEmpty();
        assertThat(c.sipPort()).isEqualTo(5060);
        assertThat(c.sipBind().isAnyLocalAddress()).isTrue();
        assertThat(c.loopbackPort()).isZero();
    }

    @Test
    void aMinimalSipTrunkGetsItsDefaults() {
        LinesConfig c = parse(TRUNK);
        LineConfig t = c.line("trunk1").orElseThrow();
        assertThat(t.kind()).isEqualTo(LineConfig.Kind.SIP);
        assertThat(t.registrar()).isEqualTo(new HostPort("sip.example.net", 5060));
        assertThat(t.outboundProxy()).isEmpty();
        assertThat(t.user()).isEqualTo("faxuser");
        assertThat(t.authUser()).isEqualTo("faxuser");
        assertThat(t.password()).contains("s3cret");
        assertThat(t.realm()).isEmpty();
        assertThat(t.domain()).isEqualTo("sip.example.net");
        assertThat(t.channels()).isEqualTo(2);
        assertThat(t.number()).isEqualTo("+15550100");
        assertThat(t.dids()).isEmpty();
        assertThat(t.register()).isTrue();
        assertThat(t.registerExpirySeconds()).isEqualTo(300);
        assertThat(t.transport()).isEqualTo(LineConfig.Transport.UDP);
        assertThat(t.routes()).isEmpty();
        assertThat(t.numberPlan().dial()).isEqualTo(NumberPlan.Dial.E164);
        assertThat(c.lines()).extracting(LineConfig::name).containsExactly("loopback", "trunk1");
        assertThat(c.sipLines()).containsExactly(t);
    }

    @Test
    void everySipSettingIsRead() {
        LinesConfig c = parse("""
                sip.port=5070
                sip.bind=192.0.2.10
                sip.loopback-port=40000
                line.trunk1.registrar=sip.example.net:5080
                line.trunk1.outbound-proxy=[2001:db8::1]:5062
                line.trunk1.user=4930123456
                line.trunk1.auth-user=acct-77
                line.trunk1.password=pw
                line.trunk1.realm=example.net
                line.trunk1.domain=voip.example.net
                line.trunk1.channels=4
                line.trunk1.country-code=49
                line.trunk1.area-code=30
                line.trunk1.number=030 123456
                line.trunk1.dids=+4930123456, 030 123457 ,4711
                line.trunk1.register=false
                line.trunk1.register-expiry=600
                line.trunk1.transport=TCP
                line.trunk1.route=+49,+4930
                line.trunk1.dial=prefix:9
                """);
        assertThat(c.sipPort()).isEqualTo(5070);
        assertThat(c.sipBind().getHostAddress()).isEqualTo("192.0.2.10");
        assertThat(c.loopbackPort()).isEqualTo(40000);
        LineConfig t = c.line("trunk1").orElseThrow();
        assertThat(t.registrar()).hasToString("sip.example.net:5080");
        assertThat(t.outboundProxy()).contains(new HostPort("2001:db8::1", 5062));
        assertThat(t.authUser()).isEqualTo("acct-77");
        assertThat(t.realm()).contains("example.net");
        assertThat(t.domain()).isEqualTo("voip.example.net");
        assertThat(t.channels()).isEqualTo(4);
        assertThat(t.number()).isEqualTo("+4930123456");
        assertThat(t.dids()).containsExactly("+4930123456", "+4930123457", "4711");
        assertThat(t.register()).isFalse();
        assertThat(t.registerExpirySeconds()).isEqualTo(600);
        assertThat(t.transport()).isEqualTo(LineConfig.Transport.TCP);
        assertThat(t.routes()).containsExactly("+49", "+4930");
        assertThat(t.numberPlan().dialString("+4930765432")).isEqualTo("9030765432");
    }

    @Test
    void thePasswordIsReadFromAFileAndTrimmed() throws IOException {
        Files.writeString(dir.resolve("trunk1.pw"), "  from-file\n");
        LinesConfig c = LinesConfig.parse(props("""
                line.trunk1.registrar=sip.example.net
                line.trunk1.user=faxuser
                line.trunk1.password-file=trunk1.pw
                line.trunk1.number=+15550100
                """), dir);
        assertThat(c.line("trunk1").orElseThrow().password()).contains("from-file");
    }

    @Test
    void passwordFileProblemsNameTheKeyAndPath() throws IOException {
        Files.writeString(dir.resolve("empty.pw"), " \n");
        String base = "line.t.registrar=r.example\nline.t.user=u\nline.t.number=+15550100\n";
        assertThat(problemsIn(base + "line.t.password-file=missing.pw\n"))
                .singleElement().asString().startsWith("line.t.password-file=missing.pw: cannot read ")
                .contains("missing.pw").contains("NoSuchFileException");
        assertThat(problemsIn(base + "line.t.password-file=empty.pw\n"))
                .containsExactly("line.t.password-file=empty.pw: the file is empty");
        assertThat(problemsIn(base + "line.t.password-file=empty.pw\nline.t.password=x\n"))
                .containsExactly("line.t.password and line.t.password-file: give one of them, not both");
    }

    private List<String> problemsIn(String text) {
        try {
            LinesConfig.parse(props(text), dir);
        } catch (LinesConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems");
    }

    @Test
    void theLineDoesNotShowItsPassword() {
        LinesConfig c = parse(TRUNK);
        assertThat(c.line("trunk1").orElseThrow().toString()).doesNotContain("s3cret").contains("password=(set)");
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void errorsNameTheKeyAndTheBadValue() {
        assertThat(problems(TRUNK + """
                line.trunk1.channels=four
                line.trunk1.register=sometimes
                line.trunk1.register-expiry=5
                line.trunk1.transport=tls
                line.trunk1.dial=pulse
                line.trunk1.route=49
                line.trunk1.dids=+49 30 x
                line.trunk1.registar=typo.example
                sip.port=70000
                sip.bind=localhost
                sip.loopback-port=-1
                """)).containsExactlyInAnyOrder(
                "sip.port=70000: outside 1..65535",
                "sip.loopback-port=-1: outside 0..65535",
                "sip.bind=localhost: not an IPv4 or IPv6 address (e.g. 0.0.0.0, 192.0.2.10 or ::)",
                "line.trunk1.channels=four: not a whole number",
                "line.trunk1.register=sometimes: not true or false",
                "line.trunk1.register-expiry=5: outside 30..86400",
                "line.trunk1.transport=tls: TLS is not supported yet; use udp or tcp",
                "line.trunk1.dial=pulse: 'pulse' is not a dial rule (e164, national or prefix:<digits>)",
                "line.trunk1.route=49: '49' is not an E.164 prefix; write it as + and digits, e.g. +4930",
                "line.trunk1.dids=+49 30 x: '+49 30 x' is not a fax number: letters are not allowed",
                "line.trunk1.registar=typo.example: unknown setting (known: area-code, auth-user, bye-grace, channels, country-code, dial, "
                        + "dids, domain, enabled, ignore-early-media, international-prefix, kind, media-any-address, national-length, national-prefix, number, "
                        + "outbound-proxy, password, password-file, policy, realm, register, register-expiry, registrar, route, route-policy, short-max, "
                        + "t38-datagram, t38-indicator-repeats, t38-max-datagram-is, t38-peer-max-datagram, t38-redundancy, "
                        + "transport, trusted, user)");
    }

    @Test
    void trustedNetworksAndTheMediaRuleAreRead() {
        LinesConfig c = parse(TRUNK + """
                line.trunk1.trusted=192.0.2.0/24, 198.51.100.7 ,2001:db8::/32
                line.trunk1.media-any-address=true
                """);
        LineConfig t = c.line("trunk1").orElseThrow();
        assertThat(t.trusted()).extracting(Object::toString).containsExactly("192.0.2.0/24", "198.51.100.7", "2001:db8::/32");
        assertThat(t.mediaAnyAddress()).isTrue();
        assertThat(t.toString()).contains("trusted=[192.0.2.0/24, 198.51.100.7, 2001:db8::/32]").contains("mediaAnyAddress=true");
        LineConfig plain = parse(TRUNK).line("trunk1").orElseThrow();
        assertThat(plain.trusted()).as("only the registrar and proxy, by default").isEmpty();
        assertThat(plain.mediaAnyAddress()).isFalse();
    }

    /** Issue 19's carrier hardening, per line: indicator repeats, redundancy, datagram sizes and their reading, BYE grace. */
    @Test
    void carrierHardeningSettingsAreReadWithTheirDefaults() {
        LineConfig plain = parse(TRUNK).line("trunk1").orElseThrow();
        assertThat(plain.tuning()).isEqualTo(dev.faxlan.lines.sip.CallTuning.DEFAULTS);
        assertThat(plain.tuning().indicatorRepeats()).isEqualTo(3);
        assertThat(plain.tuning().byeGrace()).isEqualTo(java.time.Duration.ofSeconds(5));
        LineConfig t = parse(TRUNK + """
                line.trunk1.t38-indicator-repeats=1
                line.trunk1.t38-redundancy=0
                line.trunk1.t38-datagram=1400
                line.trunk1.t38-peer-max-datagram=300
                line.trunk1.t38-max-datagram-is=IFP
                line.trunk1.bye-grace=10
                line.trunk1.ignore-early-media=false
                """).line("trunk1").orElseThrow();
        assertThat(t.tuning()).isEqualTo(new dev.faxlan.lines.sip.CallTuning(1, 0, 1400, 300, dev.faxlan.lines.sip.CallTuning.DatagramMeaning.IFP,
                java.time.Duration.ofSeconds(10), false));
        assertThat(plain.tuning().ignoreEarlyMedia()).as("early media ignored by default").isTrue();
        assertThat(t.toString()).contains("tuning=CallTuning[indicatorRepeats=1");
        assertThat(problems(TRUNK + """
                line.trunk1.t38-indicator-repeats=0
                line.trunk1.t38-redundancy=9
                line.trunk1.t38-datagram=50
                line.trunk1.t38-max-datagram-is=packet
                line.trunk1.bye-grace=forever
                line.trunk1.ignore-early-media=sometimes
                """)).containsExactlyInAnyOrder(
                "line.trunk1.ignore-early-media=sometimes: not true or false",
                "line.trunk1.t38-indicator-repeats=0: outside 1..10",
                "line.trunk1.t38-redundancy=9: outside 0..8",
                "line.trunk1.t38-datagram=50: outside 100..1400",
                "line.trunk1.t38-max-datagram-is=packet: not udptl or ifp",
                "line.trunk1.bye-grace=forever: not a whole number");
    }

    @Test
    void badTrustedEntriesAreNamedWithTheirKey() {
        assertThat(problems(TRUNK + """
                line.trunk1.trusted=gateway.example.net, 192.0.2.1/24, 0.0.0.0/0, 10.0.0.0/40
                line.trunk1.media-any-address=maybe
                """)).containsExactlyInAnyOrder(
                "line.trunk1.trusted=gateway.example.net, 192.0.2.1/24, 0.0.0.0/0, 10.0.0.0/40: 'gateway.example.net' is not an IP address or "
                        + "network (e.g. 192.0.2.0/24, 198.51.100.7 or 2001:db8::/32)",
                "line.trunk1.trusted=gateway.example.net, 192.0.2.1/24, 0.0.0.0/0, 10.0.0.0/40: 192.0.2.1/24 has host bits set; write the "
                        + "network, e.g. 192.0.2.0/24",
                "line.trunk1.trusted=gateway.example.net, 192.0.2.1/24, 0.0.0.0/0, 10.0.0.0/40: '0.0.0.0/0' would trust every address; "
                        + "list the networks that may call",
                "line.trunk1.trusted=gateway.example.net, 192.0.2.1/24, 0.0.0.0/0, 10.0.0.0/40: '10.0.0.0/40': the prefix length is at most 32",
                "line.trunk1.media-any-address=maybe: not true or false");
    }

    @Test
    void aLineWithAPasswordThatDoesNotRegisterNeedsItsRealm() {
        assertThat(problems(TRUNK + "line.trunk1.register=false\n")).containsExactly(
                "line.trunk1.realm=: needed when the line has a password but does not register: the realm is otherwise learned from the "
                        + "registrar's challenge, and the password answers no other realm");
        assertThat(parse(TRUNK + "line.trunk1.register=false\nline.trunk1.realm=sip.example.net\n").line("trunk1").orElseThrow().realm())
                .contains("sip.example.net");
        assertThat(parse(TRUNK).line("trunk1").orElseThrow().realm()).as("learned from the registrar").isEmpty();
    }

    @Test
    void thePolicyIsT38UnlessALineSaysG711() {
        assertThat(parse(TRUNK).line("trunk1").orElseThrow().policy()).isEqualTo(MediaPolicy.T38);
        LinesConfig c = parse(TRUNK + "line.trunk1.policy=G711\nline.loopback.policy=g711\n");
        assertThat(c.line("trunk1").orElseThrow().policy()).isEqualTo(MediaPolicy.G711);
        assertThat(c.line("trunk1").orElseThrow().toString()).contains("policy=g711");
        assertThat(c.loopback().orElseThrow().policy()).isEqualTo(MediaPolicy.G711);
        assertThat(parse("").loopback().orElseThrow().policy()).isEqualTo(MediaPolicy.T38);
        assertThat(problems(TRUNK + "line.trunk1.policy=fax\n")).containsExactly("line.trunk1.policy=fax: unknown policy (t38, g711, t38-then-g711 or g711-then-t38)");
    }

    @Test
    void theLoopbackLineTakesNoTrustSettings() {
        assertThat(problems("line.loopback.trusted=192.0.2.0/24\n")).hasSize(1)
                .allMatch(p -> p.startsWith("line.loopback.trusted=192.0.2.0/24: unknown setting for the loopback line"));
    }

    @Test
    void aSipLineNeedsRegistrarUserAndNumber() {
        assertThat(problems("line.bare.channels=1\n")).containsExactly(
                "line.bare.registrar=: a SIP line needs its registrar, host[:port]",
                "line.bare.user=: required for a SIP line",
                "line.bare.number=: a SIP line needs its own fax number (E.164, e.g. +15550100), sent as CSID/TSI");
    }

    @Test
    void badAddressesAndNumbersAreNamed() {
        assertThat(problems("""
                line.t.registrar=sip example.net
                line.t.outbound-proxy=proxy.example:port
                line.t.user=fax user
                line.t.number=0000
                line.t.channels=0
                """)).containsExactlyInAnyOrder(
                "line.t.registrar=sip example.net: 'sip example.net' is not a host name or address",
                "line.t.outbound-proxy=proxy.example:port: 'proxy.example:port' has a port that is not a number",
                "line.t.user=fax user: must not contain spaces, '@', ':', ';', '<', '>' or '\"'",
                "line.t.number=0000: the own number of a SIP line must be a full number, not a short one",
                "line.t.channels=0: outside 1..1000");
        assertThat(problems("line.t.registrar=r.example\nline.t.user=u\nline.t.number=030 1234567\n")).containsExactly(
                "line.t.number=030 1234567: '030 1234567' is a national number, but no country code is configured: "
                        + "write it as +<country code>...");
    }

    @Test
    void numberPlanErrorsNameTheirKeys() {
        assertThat(problems("""
                numbers.country-code=049
                numbers.area-code=3x
                numbers.short-max=9
                numbers.dial=e164
                """)).containsExactlyInAnyOrder(
                "numbers.country-code=049: a country code is 1 to 3 digits, e.g. 1, 44 or 49",
                "numbers.area-code=3x: area code '3x' must be up to 6 digits",
                "numbers.short-max=9: outside 0..6",
                "numbers.dial=e164: unknown setting (known: area-code, country-code, international-prefix, national-length, "
                        + "national-prefix, short-max)");
        assertThat(problems("numbers.country-code=49\nnumbers.national-prefix=00\n"))
                .containsExactly("numbers.national-prefix=00: national and international prefix are both 00");
    }

    @Test
    void theLoopbackLineCanBeConfiguredOrDisabled() {
        LinesConfig c = parse("""
                line.loopback.channels=8
                line.loopback.number=0001
                line.loopback.dids=0002, 0003
                """);
        LineConfig l = c.loopback().orElseThrow();
        assertThat(l.channels()).isEqualTo(8);
        assertThat(l.number()).isEqualTo("0001");
        assertThat(c.loopbackNumbers()).containsExactlyInAnyOrder("0001", "0002", "0003");

        LinesConfig off = parse(TRUNK + "line.loopback.enabled=false\n");
        assertThat(off.loopback()).isEmpty();
        assertThat(off.loopbackNumbers()).isEmpty();
        assertThat(off.lines()).extracting(LineConfig::name).containsExactly("trunk1");
        assertThat(off.lineFor("0000")).contains(off.line("trunk1").orElseThrow());
    }

    @Test
    void theLoopbackLineTakesOnlyItsOwnSettings() {
        assertThat(problems("line.loopback.registrar=sip.example.net\nline.loopback.password=hunter2\nline.loopback.kind=sip\n"))
                .containsExactlyInAnyOrder(
                        "line.loopback.registrar=sip.example.net: unknown setting for the loopback line (known: channels, dids, enabled, number, policy, speed)",
                        "line.loopback.password=(hidden): unknown setting for the loopback line (known: channels, dids, enabled, number, policy, speed)",
                        "line.loopback.kind=sip: unknown setting for the loopback line (known: channels, dids, enabled, number, policy, speed)");
        assertThat(problems("line.loopback.enabled=maybe\n")).containsExactly("line.loopback.enabled=maybe: not true or false");
        assertThat(problems(TRUNK.replace("trunk1", "other") + "line.other.kind=loopback\n"))
                .containsExactly("line.other.kind=loopback: only the built-in line 'loopback' is a loopback line");
    }

    @Test
    void theLoopbackLineRunsInRealTimeUnlessASpeedUpToTwentyIsSet() {
        assertThat(parse("").loopbackSpeed()).isEqualTo(1);
        assertThat(parse("line.loopback.speed=10\n").loopbackSpeed()).isEqualTo(10);
        assertThat(parse("line.loopback.speed=20\n").loopbackSpeed()).isEqualTo(20);
        assertThat(problems("line.loopback.speed=0\n")).containsExactly("line.loopback.speed=0: outside 1..20");
        assertThat(problems("line.loopback.speed=21\n")).containsExactly("line.loopback.speed=21: outside 1..20");
        assertThat(problems("line.loopback.speed=2.5\n")).containsExactly("line.loopback.speed=2.5: not a whole number");
        assertThat(problems("line.loopback.speed=fast\n")).containsExactly("line.loopback.speed=fast: not a whole number");
        assertThatThrownBy(() -> parse("line.loopback.speed=100\n")).isInstanceOf(LinesConfigException.class)
                .hasMessageContaining("line.loopback.speed=100: outside 1..20");
    }

    @Test
    void badKeysAreNamed() {
        assertThat(problems("line.trunk1=x\nline..user=x\nline.a.b.c=1\nline.trunk1.=x\n")).containsExactlyInAnyOrder(
                "line.trunk1=x: expected line.<name>.<setting>",
                "line..user=x: expected line.<name>.<setting>",
                "line.a.b.c=1: line name 'a.b' must be 1 to 32 letters, digits, '-' or '_'",
                "line.trunk1.=x: expected line.<name>.<setting>");
    }

    @Test
    void aDisabledLineIsLeftOut() {
        LinesConfig c = parse(TRUNK + "line.trunk1.enabled=false\n");
        assertThat(c.line("trunk1")).isEmpty();
        assertThat(c.sipLines()).isEmpty();
        assertThat(c.lineFor("+15550199")).isEmpty();
    }

    @Test
    void manyProblemsAreReportedTogether() {
        assertThatThrownBy(() -> parse("sip.port=x\nline.t.channels=y\nline.t.registrar=r\nline.t.user=u\nline.t.number=+15550100\n"))
                .isInstanceOf(LinesConfigException.class)
                .hasMessage("fax line settings have 2 problems:\n  sip.port=x: not a whole number\n  line.t.channels=y: not a whole number");
        assertThatThrownBy(() -> parse("sip.port=x\n")).hasMessage("fax line settings: sip.port=x: not a whole number");
    }

    // ---- numbers and routing ----

    static final String TWO_TRUNKS = """
            numbers.country-code=49
            numbers.area-code=30
            line.a.registrar=a.example
            line.a.user=a
            line.a.number=+49301111111
            line.b.registrar=b.example
            line.b.user=b
            line.b.number=+49302222222
            """;

    @Test
    void linesPlansInheritTheGlobalPlanUnlessTheyNameACountry() {
        LinesConfig c = parse(TWO_TRUNKS + "line.b.country-code=1\nline.b.number=+15550100\nline.a.dial=national\n");
        assertThat(c.numberPlan().countryCode()).isEqualTo("49");
        NumberPlan a = c.line("a").orElseThrow().numberPlan();
        assertThat(a.countryCode()).isEqualTo("49");
        assertThat(a.areaCode()).isEqualTo("30");
        assertThat(a.dial()).isEqualTo(NumberPlan.Dial.NATIONAL);
        NumberPlan b = c.line("b").orElseThrow().numberPlan();
        assertThat(b).isEqualTo(NumberPlan.forCountry("1"));
    }

    @Test
    void theLoopbackNumberGoesToTheLoopbackLine() {
        LinesConfig c = parse(TWO_TRUNKS + "line.loopback.dids=0001\n");
        assertThat(c.lineFor("0000")).isEqualTo(c.loopback());
        assertThat(c.lineFor("00-01")).isEqualTo(c.loopback());
        assertThat(c.lineFor("0002")).isEqualTo(c.line("a"));
    }

    @Test
    void withoutRoutesTheFirstLineByNameTakesEverything() {
        LinesConfig c = parse(TWO_TRUNKS);
        assertThat(c.lines()).extracting(LineConfig::name).containsExactly("loopback", "a", "b");
        assertThat(c.lineFor("+442079460000")).isEqualTo(c.line("a"));
        assertThat(c.lineFor("1234567")).isEqualTo(c.line("a"));
    }

    @Test
    void linesOrderSetsTheOrder() {
        LinesConfig c = parse(TWO_TRUNKS + "lines.order=b\n");
        assertThat(c.sipLines()).extracting(LineConfig::name).containsExactly("b", "a");
        assertThat(c.lineFor("+442079460000")).isEqualTo(c.line("b"));
        assertThat(problems(TWO_TRUNKS + "lines.order=b,c\n")).containsExactly("lines.order=b,c: no line named 'c' is configured");
    }

    @Test
    void theLongestMatchingRoutePrefixWins() {
        LinesConfig c = parse(TWO_TRUNKS + """
                line.a.route=+49
                line.b.route=+4930, +44
                line.c.registrar=c.example
                line.c.user=c
                line.c.number=+49303333333
                line.c.route=+493012
                """);
        assertThat(c.lineFor("+4989123456")).isEqualTo(c.line("a"));
        assertThat(c.lineFor("030 9876543")).isEqualTo(c.line("b"));
        assertThat(c.lineFor("030 1234567")).isEqualTo(c.line("c"));
        assertThat(c.lineFor("+442079460000")).isEqualTo(c.line("b"));
        assertThat(c.lineFor("+15550100")).isEqualTo(Optional.empty());
        assertThat(c.lineFor("0000")).isEqualTo(c.loopback());
    }

    @Test
    void aLineWithoutRoutesIsTheFallback() {
        LinesConfig c = parse(TWO_TRUNKS + "line.b.route=+1\n");
        assertThat(c.lineFor("+15550100")).isEqualTo(c.line("b"));
        assertThat(c.lineFor("+442079460000")).isEqualTo(c.line("a"));
    }

    @Test
    void lineForRejectsNumbersThatCannotBeNormalised() {
        LinesConfig c = parse(TWO_TRUNKS);
        assertThatThrownBy(() -> c.lineFor("FAX-ME")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'FAX-ME' is not a fax number: letters are not allowed");
    }

    @Test
    void anIpv6BindAddressIsAccepted() {
        assertThat(parse("sip.bind=::").sipBind().isAnyLocalAddress()).isTrue();
        assertThat(parse("sip.bind=2001:db8::10").sipBind().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:10");
    }

    @Test
    void aFreshServerCanDialOnlyTheLoopbackLineAndSaysWhy() {
        LinesConfig c = parse("");
        assertThat(c.whyNotDialable("0000")).isEmpty();
        assertThat(c.whyNotDialable("5550100")).contains("'5550100' is a local number, but no area code is configured: write it with the"
                + " national prefix 0 and area code, or as +<country code>...");
        assertThat(c.whyNotDialable("+15550100"))
                .contains("no fax line takes +15550100: the server has only the loopback line (0000); numbers outside need a SIP trunk");
        assertThat(c.whyNotDialable("0800-FAX-ME")).contains("'0800-FAX-ME' is not a fax number: letters are not allowed");
    }

    @Test
    void aNumberIsDialableWhenALineTakesItAfterNormalising() {
        LinesConfig c = parse("numbers.country-code=1\nnumbers.area-code=212\n" + TRUNK + "line.trunk1.route=+1212\n");
        assertThat(c.whyNotDialable("5550100")).as("+12125550100").isEmpty();
        assertThat(c.whyNotDialable("+1 212 555 0100")).isEmpty();
        assertThat(c.whyNotDialable("+13125550100")).contains("no fax line takes +13125550100: no line's route covers it");
        assertThat(c.whyNotDialable("3125550100")).contains("no fax line takes '3125550100' (+13125550100): no line's route covers it");
    }

    @Test
    void withNoLinesAtAllNothingIsDialable() {
        LinesConfig c = parse("line.loopback.enabled=false\n");
        assertThat(c.whyNotDialable("0000")).contains("no fax line takes 0000: the server has no fax lines");
    }

    @Test
    void mediaPortsHaveADefaultRangeAndABadOneIsNamed() {
        assertThat(parse("").mediaPorts().toString()).isEqualTo("20000-20999");
        assertThat(parse("sip.media-ports=30000-30099\n").mediaPorts().size()).isEqualTo(100);
        assertThat(problems("sip.media-ports=30099-30000\n"))
                .containsExactly("sip.media-ports=30099-30000: a media port range is FIRST-LAST within 1024-65535, e.g. 20000-20999");
    }
}
