package dev.faxlan.lines.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of the SIPp harness that need no SIPp: arguments and trace parsing. */
class SippTest {

    // The layout SIPp 3.6 writes with -trace_msg (messages keep their CRLFs).
    static final String TRACE = """
            ----------------------------------------------- 2026-01-01 10:00:00.000001
            UDP message sent (120 bytes):

            INVITE sip:2001@127.0.0.1:5060 SIP/2.0\r
            Call-ID: 1-1@127.0.0.1\r
            Content-Type: application/sdp\r
            \r
            v=0\r
            m=image 6000 udptl t38\r


            ----------------------------------------------- 2026-01-01 10:00:00.000002
            UDP message received [60] bytes :

            SIP/2.0 401 Unauthorized\r
            WWW-Authenticate: Digest realm="r", nonce="n"\r
            Content-Length: 0\r
            \r

            """;

    @Test
    void traceSplitsIntoMessagesWithDirection() {
        List<Sipp.Message> messages = Sipp.Message.parseTrace(TRACE);

        assertThat(messages).extracting(Sipp.Message::sent).containsExactly(true, false);
        assertThat(messages.get(0).firstLine()).isEqualTo("INVITE sip:2001@127.0.0.1:5060 SIP/2.0");
        assertThat(messages.get(0).status()).isEqualTo(-1);
        assertThat(messages.get(0).body()).startsWith("v=0").contains("m=image 6000 udptl t38");
        assertThat(messages.get(1).status()).isEqualTo(401);
        assertThat(messages.get(1).header("www-authenticate")).hasValue("Digest realm=\"r\", nonce=\"n\"");
        assertThat(messages.get(1).header("Contact")).isEmpty();
        assertThat(messages.get(1).body()).isEmpty();
    }

    @Test
    void resultSummarisesTheTrace() {
        Sipp.Result r = new Sipp.Result(0, false, List.of("sipp"), Path.of("x"), 5070, TRACE, "", "", "");

        assertThat(r.succeeded()).isTrue();
        assertThat(r.sent()).containsExactly("INVITE sip:2001@127.0.0.1:5060 SIP/2.0");
        assertThat(r.receivedStatuses()).containsExactly(401);
        assertThat(r.sentStatuses()).isEmpty();
        assertThat(r.describe()).contains("> INVITE", "< SIP/2.0 401 Unauthorized");
    }

    @Test
    void scenarioComesBeforeItsVariables() {
        List<String> c = Sipp.scenario("uac-invite-t38.xml").target("127.0.0.1", 5060)
                .set("caller", "2000").service("2001").auth("2000", "pw").callLength(Duration.ofMillis(1500))
                .timeout(Duration.ofSeconds(5))
                .command("sipp", Path.of("/w/uac-invite-t38.xml"), 5070, Path.of("/w"));

        assertThat(c.subList(0, 6)).containsExactly("sipp", "127.0.0.1:5060", "-sf", "/w/uac-invite-t38.xml",
                "-set", "caller");
        assertThat(String.join(" ", c)).contains("-p 5070 ", "-s 2001", "-au 2000 -ap pw", "-d 1500",
                "-timeout 5000ms -timeout_error", "-message_file /w/messages.log");
    }

    @Test
    void serverModeHasNoTarget() {
        List<String> c = Sipp.scenario("uas-answer-t38.xml")
                .command("sipp", Path.of("/w/uas-answer-t38.xml"), 5080, Path.of("/w"));

        assertThat(c.get(1)).isEqualTo("-sf");
    }
}
