package dev.faxlan.lines.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.lines.Line;
import dev.faxlan.lines.Lines;
import dev.faxlan.lines.ReceivedFax;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who may call a SIP line, and where its media may go (issue #11, finding 5), against SIPp sending
 * from distinct loopback addresses: the whole of 127.0.0.0/8 is local on Linux, so 127.0.0.1 is the
 * line's registrar (trusted without configuration), 127.0.0.2 and up are strangers, and 127.0.0.5
 * is a third party that a caller's SDP points at.
 *
 * <p>How "no UDPTL was sent" is shown without a timed assertion: UDPTL leaves only through a
 * call's media socket, and a refused INVITE creates no call ({@code activeCalls()} stays 0 and the
 * refusal counter goes up). As a positive control, a trusted call is then made to the same line
 * with its own listening socket, and the test waits until that socket receives UDPTL. The refused
 * SIPp run had already ended (after the 403) before the trusted one began, and the old code sent
 * media at once when it answered, before SIPp even read the 200; so by the time the control socket
 * has datagrams, any datagram the line would have sent to the refused caller's address would have
 * arrived long before (loopback neither loses nor holds back datagrams for seconds). Only then is
 * the refused side's socket checked for zero.
 */
class SipTrustIT {
    static final String TRUSTED = "127.0.0.1";
    static final String STRANGER = "127.0.0.2";
    static final String THIRD_PARTY = "127.0.0.5";
    private static final Duration LIMIT = Duration.ofSeconds(20);

    private final LinkedBlockingQueue<ReceivedFax> inbox = new LinkedBlockingQueue<>();
    private final List<MediaSink> sinks = new ArrayList<>();
    private Lines lines;

    @AfterEach
    void stop() {
        if (lines != null) lines.close();
        sinks.forEach(MediaSink::close);
    }

    /** One SIP trunk on 127.0.0.1 whose registrar is 127.0.0.1 (nobody there: it does not register). */
    private Line start(Map<String, String> extra) throws Exception {
        Properties p = new Properties();
        p.setProperty("sip.bind", TRUSTED);
        p.setProperty("line.loopback.enabled", "false");
        p.setProperty("line.trunk.registrar", TRUSTED + ":" + LoopbackPorts.freeUdp());
        p.setProperty("line.trunk.register", "false");
        p.setProperty("line.trunk.user", "2000");
        p.setProperty("line.trunk.number", "+15550200");
        extra.forEach(p::setProperty);
        lines = LoopbackPorts.startLines(p, inbox::add, "faxlan-test");
        return lines.line("trunk").orElseThrow();
    }

    private MediaSink sink(String address) {
        MediaSink s = new MediaSink(address);
        sinks.add(s);
        return s;
    }

    /** A T.38 INVITE from SIPp bound at {@code from}, whose SDP names {@code media} as its UDPTL address. */
    private Sipp.Result call(Line line, String from, String caller, MediaSink media) throws Exception {
        return Sipp.scenario("uac-invite-t38-media.xml").localIp(from).target(TRUSTED, line.endpoint().port())
                .set("caller", caller).set("mhost", media.host()).set("mport", Integer.toString(media.port())).service("15550200")
                .callLength(Duration.ofMillis(1500)).timeout(LIMIT).run();
    }

    /** The positive control: a trusted call whose media socket does receive UDPTL, and whose fax is the one stored. */
    private void aTrustedCallStillGetsMedia(Line line) throws Exception {
        MediaSink own = sink(TRUSTED);
        Sipp.Result r = call(line, TRUSTED, "5551234", own);
        assertThat(r.succeeded()).as(r.describe()).isTrue();
        assertThat(r.receivedStatuses()).as(r.describe()).contains(200).doesNotContain(403, 488);
        assertThat(own.awaitCount(1, LIMIT)).as("UDPTL reached the trusted caller's media address: %s", own).isTrue();
        assertThat(own.senders()).allSatisfy(s -> assertThat(s.getAddress().getHostAddress()).isEqualTo(TRUSTED));
        ReceivedFax fax = inbox.poll(30, TimeUnit.SECONDS);
        assertThat(fax).isNotNull();
        assertThat(fax.callerNumber()).as("only the trusted call is stored").isEqualTo("5551234");
    }

    /** A call from {@code from} whose SDP names {@code media}, refused with {@code status} alone: the line holds no call for it. */
    private void assertRefused(Line line, String from, MediaSink media, int status) throws Exception {
        Sipp.Result r = call(line, from, "6660000", media);
        assertThat(r.succeeded()).as(r.describe()).isTrue();
        // A 100 Trying is allowed only as the transaction layer's answer to a retransmitted INVITE (a
        // busy machine refused later than SIPp's first retransmission): it starts no call.
        boolean retransmitted = r.sent().stream().filter(l -> l.startsWith("INVITE ")).count() > 1;
        List<Integer> allowed = retransmitted ? List.of(100, status) : List.of(status);
        assertThat(r.receivedStatuses()).as("only a %d: no 180 or 200, no 100 unless the INVITE was retransmitted\n%s", status, r.describe())
                .contains(status).isSubsetOf(allowed);
        assertThat(line.endpoint().activeCalls()).as("no call, so no media socket").isZero();
    }

    /** After the positive control, no datagram has reached a refused call's {@code media} address and no fax is stored. */
    private void assertNoMediaAfterTheControl(Line line, MediaSink media) throws Exception {
        aTrustedCallStillGetsMedia(line);
        assertThat(media.count()).as("datagrams at the refused call's media address: %s", media).isZero();
        assertThat(inbox).as("no fax from the refused call").isEmpty();
    }

    @Test
    void anInviteFromAnUntrustedAddressIsRefusedWith403AndGetsNoMedia() throws Exception {
        Line line = start(Map.of());
        MediaSink strangersOwn = sink(STRANGER);
        assertRefused(line, STRANGER, strangersOwn, 403);
        assertThat(line.endpoint().refusedRequests()).isPositive();
        assertNoMediaAfterTheControl(line, strangersOwn);
    }

    @Test
    void anUntrustedInviteAimingMediaAtAThirdAddressReflectsNothing() throws Exception {
        // The attack of the report: 593 bytes from a foreign address with c= a third address made the line send 200s
        // and 226 UDPTL datagrams to that third address, and store a fax with a forged caller.
        Line line = start(Map.of());
        MediaSink victim = sink(THIRD_PARTY);
        assertRefused(line, STRANGER, victim, 403);
        assertNoMediaAfterTheControl(line, victim);
    }

    @Test
    void aTrustedPeerCannotAimMediaAtAThirdAddress() throws Exception {
        // Refused as not acceptable, never answered.
        Line line = start(Map.of());
        MediaSink victim = sink(THIRD_PARTY);
        assertRefused(line, TRUSTED, victim, 488);
        assertNoMediaAfterTheControl(line, victim);
    }

    @Test
    void withMediaAnyAddressATrustedPeerMayNameAnotherMediaAddress() throws Exception {
        // An SBC whose media relay is not its signalling address: the operator says so per line.
        Line line = start(Map.of("line.trunk.media-any-address", "true"));
        MediaSink relay = sink(THIRD_PARTY);
        Sipp.Result r = call(line, TRUSTED, "5551234", relay);
        assertThat(r.succeeded()).as(r.describe()).isTrue();
        assertThat(r.receivedStatuses()).as(r.describe()).contains(200);
        assertThat(relay.awaitCount(1, LIMIT)).as("UDPTL reached the relay: %s", relay).isTrue();
        ReceivedFax fax = inbox.poll(30, TimeUnit.SECONDS);
        assertThat(fax).isNotNull();
        assertThat(fax.callerNumber()).isEqualTo("5551234");

        // Still no stranger: media-any-address widens where media goes, not who may call.
        MediaSink victim = sink(THIRD_PARTY);
        Sipp.Result stranger = call(line, STRANGER, "6660000", victim);
        assertThat(stranger.receivedStatuses()).as(stranger.describe()).containsOnly(403);
    }

    @Test
    void aConfiguredTrustedNetworkMayCallAndOthersMayNot() throws Exception {
        // 127.0.0.2/31 is 127.0.0.2 and 127.0.0.3; 127.0.0.4 is outside it.
        Line line = start(Map.of("line.trunk.trusted", "127.0.0.2/31, 198.51.100.7"));
        MediaSink member = sink("127.0.0.3");
        Sipp.Result r = call(line, "127.0.0.3", "5551234", member);
        assertThat(r.succeeded()).as(r.describe()).isTrue();
        assertThat(r.receivedStatuses()).as(r.describe()).contains(200);
        assertThat(member.awaitCount(1, LIMIT)).as("UDPTL reached the trusted network's caller: %s", member).isTrue();
        assertThat(inbox.poll(30, TimeUnit.SECONDS)).isNotNull();

        MediaSink outsider = sink("127.0.0.4");
        Sipp.Result refused = call(line, "127.0.0.4", "6660000", outsider);
        assertThat(refused.receivedStatuses()).as(refused.describe()).containsOnly(403);
        // The registrar (127.0.0.1) stays trusted beside the configured networks.
        aTrustedCallStillGetsMedia(line);
        assertThat(outsider.count()).isZero();
    }
}
