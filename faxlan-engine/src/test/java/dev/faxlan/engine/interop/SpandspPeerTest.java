package dev.faxlan.engine.interop;

import dev.faxlan.testkit.FlatJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.engine.interop.SpandspPeer.Options;
import dev.faxlan.engine.interop.SpandspPeer.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness's own plumbing, without running the peer. */
class SpandspPeerTest {

    @Test
    void optionsBecomeThePeersArguments() {
        Options o = Options.send(Path.of("in.tif")).withPorts(4000, 4002).withEcm(false).withCompressions("mh,mr")
                .withResolutions("fine").withIdent("A B").withCalling(false).withRedundancy(2).withSpeed(10)
                .withTimeout(Duration.ofMillis(1500)).withDrop(5, 42).withLog(true).withVersion(0);

        assertThat(o.toArgs()).containsExactly("--send", "in.tif", "--local-port", "4000", "--remote-port", "4002",
                "--version", "0", "--ecm", "0", "--redundancy", "2", "--speed", "10", "--timeout", "1.5",
                "--compressions", "mh,mr", "--resolutions", "fine", "--ident", "A B", "--calling", "0",
                "--drop", "5", "--seed", "42", "--log");
    }

    @Test
    void defaultsLeaveSpandspDefaults() {
        Options o = Options.receive(Path.of("out.tif")).withPorts(1, 2).withFec(3, 2).withSpeed(2.5);

        assertThat(o.toArgs()).containsExactly("--receive", "out.tif", "--local-port", "1", "--remote-port", "2",
                "--version", "2", "--ecm", "1", "--redundancy", "3", "--speed", "2.5", "--timeout", "300",
                "--fec", "3:2");
    }

    @Test
    void portsAreRequired() {
        assertThatThrownBy(() -> Options.send(Path.of("x")).toArgs()).hasMessageContaining("withPorts");
    }

    @Test
    void parsesThePeersResultLine() {
        Map<String, Object> json = FlatJson.parse("{\"result\":0,\"result_text\":\"OK\",\"timed_out\":false,"
                + "\"ecm\":true,\"compression\":\"mmr\",\"remote_ident\":\"A \\\"B\\\" \\u00e9\",\"x_res\":204,"
                + "\"speed\":2.5,\"dropped\":-3,\"none\":null}");
        Result r = new Result(0, json, Duration.ZERO, Path.of("log"));

        assertThat(r.ok()).isTrue();
        assertThat(r.resultText()).isEqualTo("OK");
        assertThat(r.ecm()).isTrue();
        assertThat(r.timedOut()).isFalse();
        assertThat(r.compression()).isEqualTo("mmr");
        assertThat(r.remoteIdent()).isEqualTo("A \"B\" \u00e9");
        assertThat(r.xRes()).hasValue(204);
        assertThat(r.yRes()).isEmpty();
        assertThat(r.counter("dropped")).isEqualTo(-3);
        assertThat(json).containsEntry("speed", 2.5).containsEntry("none", null);
    }

    @Test
    void aUsageErrorIsNotOk() {
        Result r = new Result(2, FlatJson.parse("{\"result\":-1,\"error\":\"usage: unknown option --x\"}"),
                Duration.ZERO, Path.of("log"));

        assertThat(r.ok()).isFalse();
        assertThat(r.resultText()).isEqualTo("usage: unknown option --x");
    }

    @Test
    void rejectsMalformedJson() {
        assertThatThrownBy(() -> FlatJson.parse("{\"a\":1,}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlatJson.parse("{\"a\" 1}")).hasMessageContaining("expected ':'");
        assertThatThrownBy(() -> FlatJson.parse("{\"a\":1} x")).hasMessageContaining("end of line");
    }
}
