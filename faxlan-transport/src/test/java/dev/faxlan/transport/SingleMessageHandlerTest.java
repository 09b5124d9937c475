package dev.faxlan.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SingleMessageHandlerTest {
    final List<Message> received = new ArrayList<>();
    final List<CpiException> malformed = new ArrayList<>();

    final class Recording extends SingleMessageHandler {
        Recording(int maxFrame) {
            super(maxFrame);
        }

        @Override
        protected void onMessage(ChannelHandlerContext ctx, Message m) {
            received.add(m);
        }

        @Override
        protected void onMalformed(ChannelHandlerContext ctx, CpiException e) {
            malformed.add(e);
            super.onMalformed(ctx, e);
        }
    }

    @Test
    void theMessageIsHandedOnOnceItsLastPieceArrivesAndEveryBufferIsReleased() {
        byte[] wire = CpiCodec.encode(new Message.Ack(5));
        EmbeddedChannel stream = new EmbeddedChannel(new Recording(1024));
        ByteBuf first = Unpooled.wrappedBuffer(Arrays.copyOfRange(wire, 0, 3));
        ByteBuf second = Unpooled.wrappedBuffer(Arrays.copyOfRange(wire, 3, wire.length));
        stream.writeInbound(first);
        assertThat(received).isEmpty();
        stream.writeInbound(second);
        assertThat(received).containsExactly(new Message.Ack(5));
        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();
        assertThat(stream.isOpen()).isTrue();
    }

    @Test
    void aFrameLongerThanTheLimitClosesTheStream() {
        byte[] wire = CpiCodec.encode(new Message.Ack(5));
        EmbeddedChannel stream = new EmbeddedChannel(new Recording(wire.length - 1));
        ByteBuf buf = Unpooled.wrappedBuffer(wire);
        stream.writeInbound(buf);
        assertThat(received).isEmpty();
        assertThat(malformed).hasSize(1);
        assertThat(buf.refCnt()).isZero();
        assertThat(stream.isOpen()).isFalse();
    }

    @Test
    void bytesThatAreNoCborCloseTheStream() {
        byte[] junk = {0, 0, 0, 2, (byte) 0xff, (byte) 0xff};
        EmbeddedChannel stream = new EmbeddedChannel(new Recording(1024));
        stream.writeInbound(Unpooled.wrappedBuffer(junk));
        assertThat(received).isEmpty();
        assertThat(malformed).hasSize(1);
        assertThat(stream.isOpen()).isFalse();
    }
}
