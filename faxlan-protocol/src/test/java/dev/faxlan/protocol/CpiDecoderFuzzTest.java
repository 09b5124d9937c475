package dev.faxlan.protocol;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * The CPI message decoder on hostile input: bytes from a stream go through {@link FrameBuffer} and
 * {@link CpiCodec#decode}; the only failure allowed is a {@link CpiException}, which the server turns
 * into a typed error. Whatever decodes must encode again to a frame that decodes to the same bytes.
 */
class CpiDecoderFuzzTest {

    // CBOR text strings of the CPI keys and operation names (0x61 = 'a' is text of length 1, and so on).
    @DictionaryEntries({"av", "bid", "bop", "dsess", "ckey", "dbody", "bok", "cerr", "eevent", "cack", "dinfo",
        "elogin", "fsubmit", "hjob.list", "gjob.get", "jjob.cancel", "lupload.begin", "huser.add", "dcode", "cmsg",
        "cseq", "dtype", "dtime"})
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] data) {
        // The input as one frame body.
        try {
            checkReEncodes(CpiCodec.decode(data));
        } catch (CpiException expected) {
            // malformed: a typed error, as required
        }
        // The input as a stream of frames, delivered in chunks whose size the last byte picks.
        int chunk = data.length == 0 ? 1 : 1 + (data[data.length - 1] & 0xff);
        FrameBuffer frames = new FrameBuffer();
        try {
            for (int off = 0; off < data.length; off += chunk) {
                frames.append(data, off, Math.min(chunk, data.length - off));
                for (byte[] body; (body = frames.poll()) != null; ) {
                    if (body.length > CpiCodec.MAX_FRAME) throw new AssertionError("frame of " + body.length + " bytes passed the limit");
                    try {
                        checkReEncodes(CpiCodec.decode(body));
                    } catch (CpiException expected) {
                        // malformed frame
                    }
                }
            }
        } catch (CpiException expected) {
            // oversized frame announced
        }
    }

    private static void checkReEncodes(Message m) throws CpiException {
        byte[] frame = CpiCodec.encode(m);
        Message again = CpiCodec.decode(Arrays.copyOfRange(frame, 4, frame.length));
        if (!Arrays.equals(CpiCodec.encode(again), frame)) throw new AssertionError("re-encoding is not stable for " + m);
    }
}
