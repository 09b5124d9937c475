package dev.faxlan.engine.fax;

import dev.faxlan.engine.t30.Fcf;
import dev.faxlan.engine.t30.T30Frame;
import dev.faxlan.engine.t4.DecodeResult;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * The answering terminal's phases C and D in error correction mode (node F_DOC_ECM): FCD frames
 * collected by number, PPS answered with PPR for missing frames or MCF for a complete block, the page
 * decoded after its last block; CTC, EOR and RR answered. While the last block's page is still being
 * decoded the receiver is not ready for the next: it answers RNR, and RR polls, until it is.
 */
final class EcmReceiver {
    private final FaxSession s;
    private final FaxReceiver receiver;
    private final TreeMap<Integer, byte[]> blockFrames = new TreeMap<>();
    private final ByteArrayOutputStream ecmPage = new ByteArrayOutputStream(); // grown as blocks are confirmed
    private int acceptedPage = -1;
    private int acceptedBlock = -1;
    /** The block's last PPS was answered with PPR: the next burst brings its missing frames. */
    private boolean correcting;
    /**
     * The most frames any PPS of this block has counted: spandsp counts only the frames of the burst
     * just sent, so the PPS after a retransmission of one frame says 1, not the block's size.
     */
    private int blockCount;
    /** Whether the last block's page is being decoded; its MCF (or the hang-up) goes when it is. */
    private boolean decoding;
    /**
     * How long a page may take to decode before the PPS that ended it is answered with RNR: the
     * answer must begin early enough to end within the sender's T4 (3 s), and a V.21 burst takes 1.3 s.
     */
    static final long RNR_AFTER_MS = 1_000;
    /** The PPS (or RR) heard waits for our answer; false once RNR has answered it. */
    private boolean answerOwed;
    /** The page decoded after we answered RNR, with its post-page command: confirmed at the next RR or PPS. */
    private Fcf readyCommand;

    EcmReceiver(FaxSession session, FaxReceiver receiver) {
        this.s = session;
        this.receiver = receiver;
    }

    /** Training passed: a page begins. */
    void startPage() {
        blockFrames.clear();
        blockCount = 0;
        ecmPage.reset();
        acceptedPage = -1;
        acceptedBlock = -1;
        correcting = false;
    }

    void frames(List<T30Frame> frames, long now) {
        // Without a PPR outstanding a burst starts a block: frames kept from before it are a confirmed
        // block's, sent again by a sender that took a stale PPR (one of two answers to a repeated PPS).
        if (!correcting && frames.stream().anyMatch(f -> f.fcf() == Fcf.FCD)) {
            blockFrames.clear();
            blockCount = 0;
        }
        for (T30Frame f : frames) {
            switch (f.fcf()) {
                case FCD -> {
                    byte[] fif = f.fif();
                    if (fif.length < 2) {
                        s.observer.malformedFrame(s.state, f.encode(), "an FCD frame of " + fif.length + " octets carries no data", now);
                        continue;
                    }
                    int n = T30Frame.reverseBits(fif[0]);
                    blockFrames.put(n, Arrays.copyOfRange(fif, 1, fif.length));
                    s.deadline = now + FaxSession.PAGE_TIMEOUT_MS;
                }
                case PPS -> pps(f, now);
                case CTC -> s.sendFrames(List.of(s.frame(Fcf.CTR)), now);
                case EOR -> {
                    correcting = false;
                    s.sendFrames(List.of(s.frame(Fcf.ERR)), now);
                }
                case RR -> poll(now);
                case RCP -> {
                    // the end of the block's frames; PPS follows
                }
                default -> s.unexpected(f, now);
            }
        }
    }

    private void pps(T30Frame f, long now) {
        byte[] fif = f.fif();
        if (fif.length < 4) {
            s.sendFrames(List.of(s.frame(Fcf.CRP)), now);
            return;
        }
        int fcf2 = fif[0] & 0x7f;
        int page = T30Frame.reverseBits(fif[1]);
        int block = T30Frame.reverseBits(fif[2]);
        if (decoding || readyCommand != null) {
            // A repeat while the page is decoded, or after our RNR: as RR.
            poll(now);
            return;
        }
        if (page == acceptedPage && block == acceptedBlock) {
            // A repeat of the PPS we already confirmed: our MCF was lost or late. Frames since then
            // are that block's again, never the next one's.
            blockFrames.clear();
            s.sendFrames(List.of(s.frame(Fcf.MCF)), now);
            return;
        }
        int count = Math.max(blockCount, T30Frame.reverseBits(fif[3]) + 1);
        blockCount = count;
        // The map names every frame number not held, beyond the count too, as spandsp's receiver does
        // (TSB-85 OREN02, 03): the count may be a retransmission's, and a sender ignores frames it has
        // not sent. The block is complete when none below the count is missing.
        byte[] map = new byte[32];
        boolean complete = true;
        for (int i = 0; i < 256; i++) {
            if (!blockFrames.containsKey(i)) {
                map[i / 8] |= (byte) (0x80 >>> (i % 8));
                if (i < count) complete = false;
            }
        }
        if (!complete) {
            correcting = true;
            s.sendFrames(List.of(s.frame(Fcf.PPR, map)), now);
            s.deadline = now + FaxSession.T2_MS + FaxSession.PAGE_TIMEOUT_MS;
            return;
        }
        for (int i = 0; i < count; i++) ecmPage.writeBytes(blockFrames.get(i));
        blockFrames.clear();
        blockCount = 0;
        correcting = false;
        acceptedPage = page;
        acceptedBlock = block;
        if (fcf2 == 0) {
            s.sendFrames(List.of(s.frame(Fcf.MCF)), now);
            s.deadline = now + FaxSession.T2_MS + FaxSession.PAGE_TIMEOUT_MS;
            return;
        }
        byte[] data = ecmPage.toByteArray();
        ecmPage.reset();
        decoding = true;
        answerOwed = true;
        receiver.decode(data, (decoded, at) -> pageDecoded(decoded, Fcf.of(fcf2), at), now);
        if (decoding) s.deadline = now + RNR_AFTER_MS;
    }

    /**
     * The timer ran out in F_DOC_ECM: if a page is being decoded and the PPS still waits for our
     * answer, answer RNR (T.30 receive not ready) and say so; false if the page timer really expired.
     */
    boolean notReady(long now) {
        if (!decoding) return false;
        if (answerOwed) {
            answerOwed = false;
            s.sendFrames(List.of(s.frame(Fcf.RNR)), now);
        }
        // The sender polls with RR (its T5 bounds how long); the page timer runs meanwhile.
        s.deadline = now + FaxSession.T2_MS + FaxSession.PAGE_TIMEOUT_MS;
        return true;
    }

    /** RR (or a repeated PPS) from a sender we answered RNR: RNR while the page is decoded, MCF once it is. */
    private void poll(long now) {
        if (decoding) {
            s.sendFrames(List.of(s.frame(Fcf.RNR)), now);
        } else if (readyCommand != null) {
            Fcf command = readyCommand;
            readyCommand = null;
            s.sendFrames(List.of(s.frame(Fcf.MCF)), now);
            receiver.afterConfirmed(command, now);
        } else {
            // Our MCF was lost: say it again.
            s.sendFrames(List.of(s.frame(Fcf.MCF)), now);
        }
    }

    /** The page of the last block decoded (null: it could not be): confirmed with MCF, or the call ends. */
    private void pageDecoded(DecodeResult decoded, Fcf command, long now) {
        decoding = false;
        if (s.state == T30State.CALL_FINISHED) return;
        if (decoded == null) {
            s.disconnect(FaxResult.PAGE_UNREADABLE, now);
            return;
        }
        s.pagesDone++;
        s.event(new FaxEvent.Page(s.pagesDone, decoded));
        if (command == Fcf.EOP) {
            // The fax is complete: stored by the owner before the MCF. Meanwhile it counts as still
            // decoding: a repeated PPS or RR hears RNR, and RNR goes if the store takes a while.
            decoding = true;
            s.storeLastPage((stored, at) -> lastPageStored(stored, command, at), now);
            return;
        }
        confirm(command, now);
    }

    private void lastPageStored(boolean stored, Fcf command, long now) {
        decoding = false;
        if (s.state == T30State.CALL_FINISHED) return;
        if (!stored) {
            s.disconnect(FaxResult.RECEIVED_NOT_STORED, now);
            return;
        }
        confirm(command, now);
    }

    /** MCF for the page of the last block, now or (after our RNR) at the sender's next RR. */
    private void confirm(Fcf command, long now) {
        if (!answerOwed) {
            // We answered RNR: the sender's next RR gets the MCF.
            readyCommand = command;
            return;
        }
        answerOwed = false;
        s.sendFrames(List.of(s.frame(Fcf.MCF)), now);
        receiver.afterConfirmed(command, now);
    }
}
