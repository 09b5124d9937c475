package dev.faxlan.engine.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.interop.AudioPeer.Law;
import dev.faxlan.engine.interop.AudioPeer.Options;
import dev.faxlan.engine.interop.AudioPeer.Running;
import dev.faxlan.engine.interop.SpandspPeer.Result;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A Java endpoint on the audio harness's wire, as faxlan's audio front end will be: it answers
 * spandsp's frames one for one with silence and hears what an answering fax terminal sends first
 * (silence, CED at 2100 Hz, silence, the V.21 flags of its DIS) at the frames where T.30 puts them,
 * with nothing but the octet stream between them.
 */
class AudioPeerIT {

    /** µ-law silence: the code of a zero sample. */
    private static final byte ULAW_ZERO = (byte) 0xFF;

    @Test
    void aJavaEndpointHearsTheAnswerToneAndDis() throws Exception {
        Path out = Path.of("target", "audio-runs", "java-endpoint-out.tif").toAbsolutePath();
        Files.createDirectories(out.getParent());
        Files.deleteIfExists(out);
        int frames = 200;   // 4 s of call time
        int[] crossings = new int[frames];
        int[] peaks = new int[frames];

        Result result;
        try (Running peer = AudioPeer.start(Options.receive(out).withLaw(Law.ULAW), "java-endpoint")) {
            DataInputStream in = new DataInputStream(peer.fromPeer());
            OutputStream toPeer = peer.toPeer();
            byte[] silence = new byte[AudioPeer.FRAME_OCTETS];
            Arrays.fill(silence, ULAW_ZERO);
            byte[] frame = new byte[AudioPeer.FRAME_OCTETS];
            for (int f = 0; f < frames; f++) {
                in.readFully(frame);
                toPeer.write(silence);
                short[] pcm = new short[frame.length];
                for (int i = 0; i < frame.length; i++) pcm[i] = ulawToLinear(frame[i]);
                for (int i = 1; i < pcm.length; i++) {
                    if ((pcm[i - 1] < 0) != (pcm[i] < 0)) crossings[f]++;
                }
                for (short s : pcm) peaks[f] = Math.max(peaks[f], Math.abs(s));
            }
            peer.hangUp();
            result = peer.await();
        }

        // spandsp's answerer: 200 ms of silence (frames 0-9), CED at -11 dBm0 for 2.6 s (frames 10-139),
        // 75 ms of silence, then the V.21 preamble of its DIS (1650 and 1850 Hz).
        for (int f = 0; f < 9; f++) assertThat(peaks[f]).as("frame %d is silent", f).isLessThan(64);
        for (int f = 11; f < 139; f++) {
            // 2100 Hz is 42 cycles in 160 samples: 84 sign changes.
            assertThat(crossings[f]).as("sign changes in frame %d", f).isBetween(82, 86);
            assertThat(peaks[f]).as("peak of frame %d", f).isBetween(5000, 9000);
        }
        for (int f = 141; f < 143; f++) assertThat(peaks[f]).as("frame %d is silent", f).isLessThan(64);
        for (int f = 145; f < frames; f++) {
            // 1650-1850 Hz: 66-74 sign changes.
            assertThat(crossings[f]).as("sign changes in frame %d", f).isBetween(62, 78);
        }
        assertThat(result.ok()).as("nobody answered the tone: %s", result.summary()).isFalse();
        assertThat(result.json()).containsEntry("frames_rx", (long) frames).containsEntry("law", "ulaw")
                .containsEntry("peer_closed", true);
        assertThat(result.timedOut()).as("T.30 ended the call, not the call-time limit").isFalse();
    }

    /** G.711 µ-law expansion (ITU-T G.711 table 2), on the scale spandsp uses. */
    private static short ulawToLinear(byte code) {
        int u = ~code & 0xFF;
        int t = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4);
        return (short) ((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
    }
}
