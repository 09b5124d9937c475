package dev.faxlan.lines.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.faxlan.engine.fax.CallScheduler;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.lines.CallOutcome;
import dev.faxlan.lines.CallResult;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code sip.media-ports}: media sockets bind inside the range, skip ports in use, and say so when none is left. */
class MediaPortsTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** A range of the private/dynamic ports, away from the default range and the kernel's usual ephemeral start. */
    static final int FIRST = 47100;

    @Test
    void parsesARangeAndExplainsABadOne() {
        MediaPorts p = MediaPorts.parse(" 20000 - 20999 ");
        assertThat(p.first()).isEqualTo(20000);
        assertThat(p.last()).isEqualTo(20999);
        assertThat(p.size()).isEqualTo(1000);
        assertThat(MediaPorts.defaults().toString()).isEqualTo(MediaPorts.DEFAULT_TEXT);
        for (String bad : List.of("20000", "20999-20000", "80-90", "20000-70000", "a-b", "20000-20999-21000")) {
            assertThatThrownBy(() -> MediaPorts.parse(bad)).as(bad).hasMessage("a media port range is FIRST-LAST within 1024-65535, e.g. 20000-20999");
        }
    }

    @Test
    void socketsBindInTheRangeAndSkipPortsInUse() throws Exception {
        MediaPorts range = new MediaPorts(FIRST, FIRST + 9);
        List<DatagramSocket> open = new ArrayList<>();
        try {
            // Whatever of the range is taken (by these sockets or anyone else), every socket lands in it on a port of its own.
            for (int i = 0; i < 5; i++) open.add(range.bind(LOOPBACK));
            assertThat(open).allSatisfy(s -> assertThat(range.contains(s.getLocalPort())).as("port %d", s.getLocalPort()).isTrue());
            assertThat(open.stream().map(DatagramSocket::getLocalPort).distinct()).hasSize(5);
        } finally {
            open.forEach(DatagramSocket::close);
        }
    }

    @Test
    void aFullRangeIsAClearError() throws Exception {
        MediaPorts range = new MediaPorts(FIRST + 20, FIRST + 22);
        List<DatagramSocket> taken = new ArrayList<>();
        try {
            for (int port = range.first(); port <= range.last(); port++) {
                try {
                    taken.add(new DatagramSocket(new InetSocketAddress(LOOPBACK, port)));
                } catch (BindException alreadyInUse) {
                    // in use by someone else: just as full
                }
            }
            assertThatThrownBy(() -> range.bind(LOOPBACK)).isInstanceOf(SocketException.class)
                    .hasMessage("no free UDP port for call media in sip.media-ports=" + range + ": all 3 ports are in use; widen the range"
                            + " (and the firewall's) or take fewer calls at once");
        } finally {
            taken.forEach(DatagramSocket::close);
        }
    }

    @Test
    void aCallsMediaOnBothSidesStaysInTheirRanges() throws Exception {
        MediaPorts callerRange = new MediaPorts(FIRST + 40, FIRST + 49);
        MediaPorts calleeRange = new MediaPorts(FIRST + 50, FIRST + 59);
        CallScheduler scheduler = new CallScheduler("media-ports", () -> System.nanoTime() / 1_000_000, 1.0);
        SipEndpoint callee = null;
        SipEndpoint caller = null;
        try {
            callee = endpoint("callee", calleeRange, scheduler, new SipEndpoint.Decision.Accept(FaxOptions.defaults("+15550200")));
            caller = endpoint("caller", callerRange, scheduler, new SipEndpoint.Decision.Reject(603, "test"));
            CompletableFuture<CallResult> call = caller.send("5550200", "127.0.0.1:" + callee.port(), TestFaxPages.pages(1, 1, 100),
                    FaxOptions.defaults("+15550100"));
            Set<Integer> callerPorts = ConcurrentHashMap.newKeySet();
            Set<Integer> calleePorts = ConcurrentHashMap.newKeySet();
            SipEndpoint er = caller;
            SipEndpoint ee = callee;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                mediaPorts(er, callerPorts);
                mediaPorts(ee, calleePorts);
                return !callerPorts.isEmpty() && !calleePorts.isEmpty() || call.isDone();
            });
            CallResult r = call.get(120, TimeUnit.SECONDS);
            assertThat(r.outcome()).as("%s", r).isEqualTo(CallOutcome.SUCCESS);
            assertThat(callerPorts).isNotEmpty().allSatisfy(p -> assertThat(callerRange.contains(p)).as("caller media port %d", p).isTrue());
            assertThat(calleePorts).isNotEmpty().allSatisfy(p -> assertThat(calleeRange.contains(p)).as("callee media port %d", p).isTrue());
        } finally {
            if (caller != null) caller.close();
            if (callee != null) callee.close();
            scheduler.close();
        }
    }

    private static void mediaPorts(SipEndpoint ep, Set<Integer> into) {
        for (SipCall c : ep.calls.values()) {
            MediaSocket m = c.media;
            if (m != null) into.add(m.port());
        }
    }

    private static SipEndpoint endpoint(String name, MediaPorts media, CallScheduler scheduler, SipEndpoint.Decision decision) throws Exception {
        return SipEndpoint.start(new SipEndpoint.Settings(name, "127.0.0.1", 0, "udp", null, Duration.ofSeconds(5), "faxlan-test",
                SipEndpoint.Trust.networks("127.0.0.1"), media),
                new SipAccount(name, name, "", "127.0.0.1", false, 300), (from, to) -> decision, f -> {}, scheduler);
    }
}
