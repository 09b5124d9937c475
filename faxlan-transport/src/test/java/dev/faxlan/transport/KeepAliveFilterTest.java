package dev.faxlan.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.quic.QuicStreamFrame;
import org.junit.jupiter.api.Test;

class KeepAliveFilterTest {

    @Test
    void aKeepAliveDatagramIsDroppedAndReleased() {
        EmbeddedChannel connection = new EmbeddedChannel(new KeepAliveFilter());
        ByteBuf keepalive = Unpooled.buffer().writeByte(0);
        connection.writeInbound(keepalive);
        assertThat((Object) connection.readInbound()).isNull();
        assertThat(keepalive.refCnt()).isZero();
    }

    /** Netty hands a new stream to the connection's pipeline as a message: swallowing it would kill the stream. */
    @Test
    void everythingElseIsPassedOn() {
        EmbeddedChannel connection = new EmbeddedChannel(new KeepAliveFilter());
        Object stream = new Object();
        connection.writeInbound(stream);
        assertThat((Object) connection.readInbound()).isSameAs(stream);
    }

    @Test
    void aFailureClosesTheConnection() {
        EmbeddedChannel connection = new EmbeddedChannel(new KeepAliveFilter());
        connection.pipeline().fireExceptionCaught(new IllegalStateException("broken"));
        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void aMessageIsWrittenAsOneFrameWithTheFinWhenItIsTheLast() {
        Message.Ack ack = new Message.Ack(9);
        QuicStreamFrame last = FrameWriter.frame(ack, true);
        QuicStreamFrame more = FrameWriter.frame(ack, false);
        byte[] bytes = new byte[last.content().readableBytes()];
        last.content().getBytes(0, bytes);
        assertThat(bytes).containsExactly(CpiCodec.encode(ack));
        assertThat(last.hasFin()).isTrue();
        assertThat(more.hasFin()).isFalse();
        last.release();
        more.release();
    }
}
