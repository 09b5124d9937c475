package dev.faxlan.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameBufferTest {

    @Test
    void returnsNothingUntilAFrameIsComplete() throws CpiException {
        byte[] frame = CpiCodec.encode(new Message.Ack(7));
        FrameBuffer fb = new FrameBuffer();
        for (int i = 0; i < frame.length - 1; i++) {
            fb.append(frame, i, 1);
            assertThat(fb.poll()).isNull();
        }
        fb.append(frame, frame.length - 1, 1);
        assertThat(CpiCodec.decode(fb.poll())).isEqualTo(new Message.Ack(7));
        assertThat(fb.poll()).isNull();
        assertThat(fb.buffered()).isZero();
    }

    @Test
    void reassemblesFramesAcrossEverySplitPoint() throws CpiException {
        byte[] stream = concat(
                CpiCodec.encode(new Message.Ack(1)),
                CpiCodec.encode(new Message.Error(2, ErrorCode.NOT_FOUND, "no job 2")),
                CpiCodec.encode(new Message.Ok(3, Fields.builder().put("b", new byte[1000]).build())));
        for (int a = 0; a <= stream.length; a++) {
            for (int b = a; b <= stream.length; b += 37) {
                FrameBuffer fb = new FrameBuffer();
                List<Message> got = new ArrayList<>();
                feed(fb, stream, 0, a, got);
                feed(fb, stream, a, b, got);
                feed(fb, stream, b, stream.length, got);
                assertThat(got).hasSize(3);
                assertThat(got.get(0)).isEqualTo(new Message.Ack(1));
                assertThat(got.get(1)).isEqualTo(new Message.Error(2, ErrorCode.NOT_FOUND, "no job 2"));
                assertThat(((Message.Ok) got.get(2)).id()).isEqualTo(3);
            }
        }
    }

    @Test
    void reassemblesAFrameOfTheMaximumSizeFedInSmallChunks() throws CpiException {
        byte[] body = new byte[CpiCodec.MAX_FRAME];
        Arrays.fill(body, (byte) 0x42);
        byte[] stream = concat(CpiCodecTest.prefix(body.length), body, CpiCodec.encode(new Message.Ack(5)));
        FrameBuffer fb = new FrameBuffer();
        List<byte[]> bodies = new ArrayList<>();
        for (int off = 0; off < stream.length; off += 1350) {
            fb.append(stream, off, Math.min(1350, stream.length - off));
            for (byte[] b; (b = fb.poll()) != null; ) bodies.add(b);
        }
        assertThat(bodies).hasSize(2);
        assertThat(bodies.get(0)).isEqualTo(body);
        assertThat(CpiCodec.decode(bodies.get(1))).isEqualTo(new Message.Ack(5));
    }

    @Test
    void refusesAnOversizedFrameAsSoonAsItsLengthIsKnown() throws CpiException {
        FrameBuffer fb = new FrameBuffer();
        byte[] header = CpiCodecTest.prefix(CpiCodec.MAX_FRAME + 1);
        fb.append(header, 0, 3);
        assertThatThrownBy(() -> fb.append(header, 3, 1))
                .isInstanceOfSatisfying(CpiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void refusesANegativeFrameLength() {
        FrameBuffer fb = new FrameBuffer();
        byte[] header = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3};
        assertThatThrownBy(() -> fb.append(header, 0, header.length)).isInstanceOf(CpiException.class);
    }

    @Test
    void refusesAnOversizedSecondFrameWhenPolled() throws CpiException {
        byte[] stream = concat(CpiCodec.encode(new Message.Ack(1)), CpiCodecTest.prefix(Integer.MAX_VALUE));
        FrameBuffer fb = new FrameBuffer();
        fb.append(stream, 0, stream.length);
        assertThat(fb.poll()).isNotNull();
        assertThatThrownBy(fb::poll).isInstanceOf(CpiException.class);
    }

    @Test
    void drainReturnsTheRawBytesAfterTheLastFrame() throws CpiException {
        byte[] data = {10, 20, 30, 40, 50};
        byte[] stream = concat(CpiCodec.encode(new Message.Ack(1)), data);
        FrameBuffer fb = new FrameBuffer();
        fb.append(stream, 0, stream.length);
        assertThat(fb.poll()).isNotNull();
        assertThat(fb.buffered()).isEqualTo(data.length);
        assertThat(fb.drain()).isEqualTo(data);
        assertThat(fb.buffered()).isZero();
        assertThat(fb.drain()).isEmpty();
    }

    @Test
    void emptyFrameYieldsAnEmptyBody() throws CpiException {
        FrameBuffer fb = new FrameBuffer();
        fb.append(new byte[4], 0, 4);
        assertThat(fb.poll()).isEmpty();
    }

    @Test
    void appendHonoursOffsetAndLength() throws CpiException {
        byte[] frame = CpiCodec.encode(new Message.Ack(9));
        byte[] padded = concat(new byte[] {1, 2, 3}, frame, new byte[] {4, 5});
        FrameBuffer fb = new FrameBuffer();
        fb.append(padded, 3, frame.length);
        assertThat(CpiCodec.decode(fb.poll())).isEqualTo(new Message.Ack(9));
        assertThat(fb.buffered()).isZero();
    }

    private static void feed(FrameBuffer fb, byte[] stream, int from, int to, List<Message> out) throws CpiException {
        fb.append(stream, from, to - from);
        for (byte[] b; (b = fb.poll()) != null; ) out.add(CpiCodec.decode(b));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
