package dev.faxlan.server.cpi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.server.MutableClock;
import dev.faxlan.server.cpi.abuse.FloodLimits;
import dev.faxlan.server.cpi.abuse.HalfOpenConnections;
import dev.faxlan.server.cpi.abuse.UnvalidatedTraffic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryTokenHandlerTest {
    private static final byte[] ODCID = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    private static final int HEADER = 8 + 16;
    private final MutableClock clock = new MutableClock();
    private final RetryTokenHandler handler = new RetryTokenHandler(clock);
    private final InetSocketAddress client = address("192.0.2.10", 50123);
    private ByteBuf token;

    @AfterEach
    void release() {
        if (token != null) token.release();
    }

    @Test
    void tokenIsValidForTheAddressAndPortItWasIssuedTo() {
        token = issue(client);
        assertThat(token.readableBytes()).isEqualTo(HEADER + ODCID.length).isLessThanOrEqualTo(handler.maxTokenLength());
        int offset = handler.validateToken(token, client);
        assertThat(offset).isEqualTo(HEADER);
        // The original destination connection id follows at the returned offset.
        assertThat(ByteBufUtil.getBytes(token, token.readerIndex() + offset, ODCID.length)).isEqualTo(ODCID);
        // Validation reads without consuming.
        assertThat(token.readableBytes()).isEqualTo(HEADER + ODCID.length);
        assertThat(handler.validateToken(token, client)).isEqualTo(HEADER);
    }

    @Test
    void tokenIsRefusedFromAnotherAddress() {
        token = issue(client);
        assertThat(handler.validateToken(token, address("192.0.2.11", 50123))).isEqualTo(-1);
        assertThat(handler.validateToken(token, address("::ffff:192.0.2.11", 50123))).isEqualTo(-1);
    }

    @Test
    void tokenIsRefusedFromAnotherPort() {
        token = issue(client);
        assertThat(handler.validateToken(token, address("192.0.2.10", 50124))).isEqualTo(-1);
        assertThat(handler.validateToken(token, address("192.0.2.10", 4644))).isEqualTo(-1);
    }

    @Test
    void tokenWorksForIpv6() {
        InetSocketAddress v6 = address("2001:db8::1", 40000);
        token = issue(v6);
        assertThat(handler.validateToken(token, v6)).isEqualTo(HEADER);
        assertThat(handler.validateToken(token, address("2001:db8::2", 40000))).isEqualTo(-1);
    }

    @Test
    void tokenExpires() {
        token = issue(client);
        clock.advanceMillis(RetryTokenHandler.LIFETIME_MS);
        assertThat(handler.validateToken(token, client)).isEqualTo(HEADER);
        clock.advanceMillis(1);
        assertThat(handler.validateToken(token, client)).isEqualTo(-1);
    }

    @Test
    void tamperedMacIsRefused() {
        token = issue(client);
        for (int i = 8; i < HEADER; i++) {
            ByteBuf copy = token.copy();
            copy.setByte(i, copy.getByte(i) ^ 0x01);
            assertThat(handler.validateToken(copy, client)).as("MAC byte %d flipped", i).isEqualTo(-1);
            copy.release();
        }
    }

    @Test
    void extendedExpiryIsRefused() {
        token = issue(client);
        ByteBuf copy = token.copy();
        copy.setLong(0, copy.getLong(0) + 3_600_000);
        assertThat(handler.validateToken(copy, client)).isEqualTo(-1);
        copy.release();
    }

    @Test
    void changedConnectionIdIsRefused() {
        token = issue(client);
        ByteBuf copy = token.copy();
        copy.setByte(HEADER, copy.getByte(HEADER) ^ 0x40);
        assertThat(handler.validateToken(copy, client)).isEqualTo(-1);
        copy.writerIndex(copy.writerIndex() - 1);
        assertThat(handler.validateToken(copy, client)).isEqualTo(-1);
        copy.release();
    }

    @Test
    void tokenOfAnotherServerInstanceIsRefused() {
        token = issue(client);
        assertThat(new RetryTokenHandler(clock).validateToken(token, client)).isEqualTo(-1);
    }

    @Test
    void tokensOfTheWrongSizeAreRefused() {
        for (int len : new int[] {0, 1, HEADER - 1, HEADER + 21, 200}) {
            ByteBuf junk = Unpooled.buffer(len).writeZero(len);
            assertThat(handler.validateToken(junk, client)).as("%d bytes", len).isEqualTo(-1);
            junk.release();
        }
    }

    @Test
    void tokenIsReadFromTheReaderIndex() {
        token = issue(client);
        ByteBuf framed = Unpooled.buffer().writeBytes(new byte[] {9, 9, 9}).writeBytes(token, token.readerIndex(), token.readableBytes());
        framed.skipBytes(3);
        assertThat(handler.validateToken(framed, client)).isEqualTo(HEADER);
        framed.release();
    }

    @Test
    void emptyConnectionIdIsAllowed() {
        ByteBuf out = Unpooled.buffer();
        handler.writeToken(out, Unpooled.EMPTY_BUFFER, client);
        assertThat(handler.validateToken(out, client)).isEqualTo(HEADER);
        out.release();
    }

    @Test
    void aGoodTokenOpensAConnectionOnlyWithinTheSourcesRate() {
        UnvalidatedTraffic traffic = new UnvalidatedTraffic();
        HalfOpenConnections halfOpen = new HalfOpenConnections(FloodLimits.DEFAULTS.withNewConnectionsPerSource(1, 2), clock);
        RetryTokenHandler gated = new RetryTokenHandler(clock, halfOpen, traffic);
        ByteBuf out = Unpooled.buffer();
        gated.writeToken(out, Unpooled.wrappedBuffer(ODCID), client);
        assertThat(gated.validateToken(out, client)).isEqualTo(HEADER);
        assertThat(gated.validateToken(out, client)).isEqualTo(HEADER);
        assertThat(gated.validateToken(out, client)).as("a third connection within the second").isEqualTo(-1);
        assertThat(traffic.snapshot().refusedConnections()).isEqualTo(1);
        assertThat(gated.validateToken(out, address("192.0.2.99", 50123))).as("the token from another address").isEqualTo(-1);
        assertThat(traffic.snapshot().refusedTokens()).isEqualTo(1);
        clock.advanceMillis(1000);
        assertThat(gated.validateToken(out, client)).isEqualTo(HEADER);
        out.release();
    }

    private ByteBuf issue(InetSocketAddress to) {
        ByteBuf out = Unpooled.buffer();
        ByteBuf dcid = Unpooled.wrappedBuffer(ODCID);
        assertThat(handler.writeToken(out, dcid, to)).isTrue();
        // Writing must not consume the connection id the codec still needs.
        assertThat(dcid.readableBytes()).isEqualTo(ODCID.length);
        return out;
    }

    private static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
