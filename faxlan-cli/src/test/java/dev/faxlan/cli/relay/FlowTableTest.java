package dev.faxlan.cli.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowTableTest {
    static final long S = 1_000_000_000L;
    static final int INITIAL = 0xc3;   // long header, type Initial
    static final int HANDSHAKE = 0xe3; // long header, type Handshake
    static final int ONE_RTT = 0x43;   // short header

    static InetSocketAddress client(int port) {
        return new InetSocketAddress("192.0.2.7", port);
    }

    @Test
    void aFullTableRefusesNewClientsAndKeepsEveryExistingFlow() {
        FlowTable<String> t = new FlowTable<>(2, Duration.ofSeconds(90), Duration.ofSeconds(10));
        List<InetSocketAddress> opened = new ArrayList<>();
        assertThat(t.open(client(1), c -> { opened.add(c); return "up1"; }, 0)).isNotNull();
        assertThat(t.open(client(2), c -> { opened.add(c); return "up2"; }, 0)).isNotNull();
        assertThat(t.open(client(3), c -> { opened.add(c); return "up3"; }, 0)).as("a third flow beyond the bound of 2").isNull();
        assertThat(opened).as("no upstream socket is opened for a refused client").containsExactly(client(1), client(2));
        assertThat(t.refused()).isEqualTo(1);
        assertThat(t.get(client(1)).upstream).isEqualTo("up1");
        assertThat(t.get(client(2)).upstream).isEqualTo("up2");
        assertThat(t.get(client(3))).isNull();
    }

    @Test
    void unansweredFlowsExpireSoonAnsweredOnesOnlyAfterTheIdleTimeout() {
        FlowTable<String> t = new FlowTable<>(10, Duration.ofSeconds(90), Duration.ofSeconds(10));
        Flow<String> spoofed = t.open(client(1), c -> "a", 0);
        spoofed.fromClient(1200, INITIAL, 0);
        Flow<String> real = t.open(client(2), c -> "b", 0);
        real.fromClient(1200, INITIAL, 0);
        real.fromClient(50, HANDSHAKE, 1 * S);

        assertThat(t.expire(9 * S)).isEmpty();
        assertThat(t.expire(10 * S)).extracting(f -> f.client).containsExactly(client(1));
        assertThat(t.expire(90 * S)).isEmpty();
        real.fromClient(40, ONE_RTT, 60 * S); // a keep-alive
        assertThat(t.expire(149 * S)).isEmpty();
        assertThat(t.expire(150 * S)).extracting(f -> f.client).containsExactly(client(2));
        assertThat(t.size()).isZero();
    }

    @Test
    void beforeTheClientAnsweredItGetsNoMoreBytesThanItSent() {
        Flow<String> f = new Flow<>(client(1), "up", 0);
        f.fromClient(1200, INITIAL, 0);
        assertThat(f.mayPassToClient(1000, 0)).isTrue();
        assertThat(f.mayPassToClient(201, 0)).as("1000 + 201 > 1200").isFalse();
        assertThat(f.mayPassToClient(200, 0)).isTrue();
        assertThat(f.bytesToClient()).isEqualTo(1200);
        assertThat(f.droppedToClient()).isEqualTo(1);
        f.fromClient(1200, INITIAL, 0);   // a second Initial (after a Retry) adds its bytes, nothing more
        assertThat(f.mayPassToClient(1201, 0)).isFalse();
        f.fromClient(60, HANDSHAKE, 0);
        assertThat(f.answered()).isTrue();
        assertThat(f.mayPassToClient(1452, 0)).as("after a Handshake packet the server's data flows freely").isTrue();
        assertThat(f.mayPassToClient(1452, 0)).isTrue();
    }

    @Test
    void onlyHandshakeAndShortHeaderPacketsProveTheAnswer() {
        assertThat(Flow.provesAnswerReceived(0xc0)).as("Initial").isFalse();
        assertThat(Flow.provesAnswerReceived(0xd0)).as("0-RTT").isFalse();
        assertThat(Flow.provesAnswerReceived(0xe0)).as("Handshake").isTrue();
        assertThat(Flow.provesAnswerReceived(0xf0)).as("Retry (never from a client)").isFalse();
        assertThat(Flow.provesAnswerReceived(0x40)).as("1-RTT").isTrue();
        assertThat(Flow.provesAnswerReceived(0x00)).as("no fixed bit: not QUIC").isFalse();
    }
}
