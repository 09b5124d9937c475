package dev.faxlan.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortRetryTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aPortTakenBeforeTheBindIsReplacedByAFreshOne() throws Exception {
        List<Integer> tried = new ArrayList<>();
        try (DatagramSocket busy = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            try (DatagramSocket bound = PortRetry.onAddressInUse("test socket", attempt -> {
                // The first try is handed the busy port, as if another program took it after our check.
                int port = attempt == 1 ? busy.getLocalPort() : PortRetry.freeUdp(LOOPBACK);
                tried.add(port);
                return new DatagramSocket(new InetSocketAddress(LOOPBACK, port));
            })) {
                assertThat(tried).hasSize(2).first().isEqualTo(busy.getLocalPort());
                assertThat(bound.getLocalPort()).isEqualTo(tried.get(1)).isNotEqualTo(busy.getLocalPort());
            }
        }
    }

    @Test
    void aProgramSayingItsPortWasTakenIsStartedAgain() {
        List<Integer> attempts = new ArrayList<>();
        String started = PortRetry.onAddressInUse("sipp", attempt -> {
            attempts.add(attempt);
            if (attempt < 3) {
                // SIPp's words when its -p port is taken
                String stderr = "2026-12-06 Unable to bind main socket, errno = 98 (Address already in use)";
                if (PortRetry.inUse(stderr)) throw new PortRetry.PortTaken(stderr);
            }
            return "running";
        });

        assertThat(started).isEqualTo("running");
        assertThat(attempts).containsExactly(1, 2, 3);
    }

    @Test
    void otherFailuresAreNotRetried() {
        List<Integer> attempts = new ArrayList<>();

        assertThatThrownBy(() -> PortRetry.onAddressInUse("kamailio", attempt -> {
            attempts.add(attempt);
            throw new IOException("kamailio: parse error in config file line 12");
        })).isInstanceOf(IOException.class).hasMessageContaining("line 12");
        assertThat(attempts).containsExactly(1);
    }

    @Test
    void givesUpAfterTheLastTryAndSaysHowManyThereWere() throws Exception {
        try (DatagramSocket busy = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            List<Integer> attempts = new ArrayList<>();

            assertThatThrownBy(() -> PortRetry.onAddressInUse("always busy", 3, attempt -> {
                attempts.add(attempt);
                return new DatagramSocket(new InetSocketAddress(LOOPBACK, busy.getLocalPort()));
            })).isInstanceOf(PortRetry.PortTaken.class).hasMessageContaining("always busy").hasMessageContaining("3 tries");
            assertThat(attempts).containsExactly(1, 2, 3);
        }
    }

    @Test
    void recognisesHowProgramsReportABusyPort() {
        assertThat(PortRetry.inUse("Unable to bind main socket, errno = 98")).isTrue();
        assertThat(PortRetry.inUse("ERROR: <core> [core/udp_server.c:336]: udp_init(): bind(...) on 127.0.0.1: Address already in use")).isTrue();
        assertThat(PortRetry.inUse("java.net.BindException: Address already in use")).isTrue();
        assertThat(PortRetry.inUse("connection refused")).isFalse();
        assertThat(PortRetry.inUse(new RuntimeException("wrapped", new java.net.BindException("in use")))).isTrue();
        assertThat(PortRetry.inUse(new IllegalStateException("timed out"))).isFalse();
    }

    @Test
    void freePortsAreDistinct() {
        int[] ports = PortRetry.freeUdp(LOOPBACK, 3);

        assertThat(ports).hasSize(3).doesNotHaveDuplicates().doesNotContain(0);
    }

    @Test
    void aSocketIsBoundByTheProcessThatHoldsIt() throws Exception {
        long self = ProcessHandle.current().pid();
        try (DatagramSocket mine = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            assertThat(PortRetry.udpBoundBy(self, LOOPBACK, mine.getLocalPort())).isTrue();
        }
        int released = PortRetry.freeUdp(LOOPBACK);
        assertThat(PortRetry.udpBoundBy(self, LOOPBACK, released)).isFalse();
    }
}
