package dev.faxlan.protocol;

import static dev.faxlan.protocol.cbor.CborValues.normalize;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.cbor.CborArbitraries;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class CpiCodecPropertiesTest {

    @Provide
    Arbitrary<Message.Request> requests() {
        Arbitrary<byte[]> session = Arbitraries.bytes().array(byte[].class).ofSize(CpiCodec.SESSION_TOKEN_BYTES).injectNull(0.3);
        Arbitrary<byte[]> key = Arbitraries.bytes().array(byte[].class).ofSize(CpiCodec.IDEMPOTENCY_KEY_BYTES).injectNull(0.3);
        return Combinators.combine(Arbitraries.longs(), Arbitraries.of(Op.class), session, key, CborArbitraries.map(3))
                .as((id, op, s, k, body) -> new Message.Request(id, op, s, k, new Fields(body)));
    }

    @Property(tries = 500)
    void requestsRoundTrip(@ForAll("requests") Message.Request req) throws CpiException {
        byte[] frame = CpiCodec.encode(req);
        assertThat(CpiCodec.frameLength(frame)).isEqualTo(frame.length - 4);
        Message.Request back = (Message.Request) CpiCodec.decode(Arrays.copyOfRange(frame, 4, frame.length));
        assertThat(back.id()).isEqualTo(req.id());
        assertThat(back.op()).isEqualTo(req.op());
        assertThat(back.session()).isEqualTo(req.session());
        assertThat(back.idempotencyKey()).isEqualTo(req.idempotencyKey());
        assertThat(normalize(back.body().asMap())).isEqualTo(normalize(req.body().asMap()));
        assertThat(CpiCodec.encode(back)).isEqualTo(frame);
    }

    @Property(tries = 300)
    void frameBufferReassemblesFramesFromRandomChunks(
            @ForAll @Size(min = 1, max = 8) List<@Size(max = 3000) byte[]> bodies,
            @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 0, max = 700) Integer> chunkSizes,
            @ForAll @Size(max = 3) byte[] trailing) throws CpiException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (byte[] b : bodies) {
            stream.writeBytes(CpiCodecTest.prefix(b.length));
            stream.writeBytes(b);
        }
        stream.writeBytes(trailing);
        byte[] all = stream.toByteArray();

        FrameBuffer fb = new FrameBuffer();
        List<byte[]> got = new ArrayList<>();
        int off = 0;
        for (int i = 0; off < all.length; i++) {
            int n = Math.min(chunkSizes.get(i % chunkSizes.size()), all.length - off);
            fb.append(all, off, n);
            off += n;
            for (byte[] b; (b = fb.poll()) != null; ) got.add(b);
            if (i > all.length + chunkSizes.size()) {
                // every chunk size was 0: feed the rest at once
                fb.append(all, off, all.length - off);
                off = all.length;
                for (byte[] b; (b = fb.poll()) != null; ) got.add(b);
            }
        }
        assertThat(got).hasSameSizeAs(bodies);
        for (int i = 0; i < bodies.size(); i++) assertThat(got.get(i)).isEqualTo(bodies.get(i));
        // What is left is the tail, shorter than a length prefix, untouched.
        assertThat(fb.drain()).isEqualTo(trailing);
    }
}
