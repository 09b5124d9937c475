package dev.faxlan.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

    @Test
    void aFrameSplitOverSeveralBuffersIsReadWhenItsLastByteArrives() throws Exception {
        byte[] wire = CpiCodec.encode(new Message.Ack(42));
        FrameReader reader = new FrameReader();
        assertThat(reader.readMessage(buffer(Arrays.copyOfRange(wire, 0, 2)))).isNull();
        assertThat(reader.readMessage(buffer(Arrays.copyOfRange(wire, 2, wire.length - 1)))).isNull();
        assertThat(reader.readMessage(buffer(Arrays.copyOfRange(wire, wire.length - 1, wire.length)))).isEqualTo(new Message.Ack(42));
    }

    @Test
    void bytesAfterTheFrameAreKeptForTheCaller() throws Exception {
        byte[] frame = CpiCodec.encode(new Message.Ack(1));
        byte[] data = {1, 2, 3, 4, 5};
        byte[] wire = Arrays.copyOf(frame, frame.length + data.length);
        System.arraycopy(data, 0, wire, frame.length, data.length);
        FrameReader reader = new FrameReader();
        ByteBuf buf = buffer(wire);
        assertThat(reader.read(buf)).isNotNull();
        assertThat(buf.readableBytes()).as("the reader takes the whole buffer").isZero();
        assertThat(reader.rest()).containsExactly(data);
        assertThat(reader.rest()).isEmpty();
    }

    @Test
    void aReaderWithALimitRefusesAFrameThatOutgrowsIt() {
        byte[] wire = CpiCodec.encode(new Message.Ack(7));
        FrameReader reader = new FrameReader(wire.length - 1);
        assertThatThrownBy(() -> reader.read(buffer(wire))).isInstanceOf(CpiException.class)
                .hasMessageContaining(String.valueOf(wire.length - 1)).hasMessageContaining(String.valueOf(wire.length))
                .satisfies(e -> assertThat(((CpiException) e).code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void aFrameAnnouncingMoreThanTheMaximumIsRefusedBeforeItsBodyArrives() {
        int tooLong = CpiCodec.MAX_FRAME + 1;
        byte[] prefix = {(byte) (tooLong >>> 24), (byte) (tooLong >>> 16), (byte) (tooLong >>> 8), (byte) tooLong};
        assertThatThrownBy(() -> new FrameReader().read(buffer(prefix))).isInstanceOf(CpiException.class);
    }

    private static ByteBuf buffer(byte[] b) {
        return Unpooled.wrappedBuffer(b);
    }
}
