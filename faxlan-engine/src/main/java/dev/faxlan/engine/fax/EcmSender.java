package dev.faxlan.engine.fax;

import dev.faxlan.engine.t30.Fcf;
import dev.faxlan.engine.t30.Modem;
import dev.faxlan.engine.t30.T30Frame;
import java.util.AbstractList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The calling terminal's phases C and D in error correction mode (T.30 Annex A, T.4 Annex A): a page
 * coded into 256-octet FCD frames, sent in blocks of up to 256 frames with RCP and PPS (node IV), and
 * repaired after PPR; after four PPRs for one block, CTC with a lower rate, after four more EOR; RNR
 * answered with RR until T5.
 */
final class EcmSender {
    static final int ECM_FRAME = 256;
    static final int ECM_BLOCK_FRAMES = 256;

    private final FaxSession s;
    private final FaxSender sender;
    /** The page as coded; its frames are cut from it when they fall due. */
    private byte[] coded = new byte[0];
    private int pageFrames;
    private int blockStart;
    private int blockIndex;
    private int pprCount;
    private int pprTotal;
    private BitSet pendingResend;
    /** When the receiver first answered RNR since its last other response (T5 runs from there); -1 when it is ready. */
    private long busySince = -1;

    EcmSender(FaxSession session, FaxSender sender) {
        this.s = session;
        this.sender = sender;
    }

    int pprTotal() {
        return pprTotal;
    }

    /** Sends the first block of the page at the sender's page index, {@code coded} as the DCS says. */
    void startPage(byte[] coded, long now) {
        this.coded = coded;
        pageFrames = (coded.length + ECM_FRAME - 1) / ECM_FRAME;
        blockStart = 0;
        blockIndex = 0;
        sendBlock(now, null);
    }

    private int blockLength() {
        return Math.min(ECM_BLOCK_FRAMES, pageFrames - blockStart);
    }

    /** Node IV: the current block's frames ({@code only} null: all of them), RCP, then PPS. */
    private void sendBlock(long now, BitSet only) {
        int n = blockLength();
        int[] numbers = IntStream.range(0, n).filter(i -> only == null || only.get(i)).toArray();
        byte[] rcp = new T30Frame(Fcf.RCP, false, false, new byte[0]).encode();
        int from = blockStart;
        byte[] page = coded;
        // The block's FCD frames, then RCP three times; each frame made when the front end asks for it.
        List<byte[]> hdlc = new BlockFrames(page, from, numbers, rcp);
        s.frontEnd.sendImageFrames(sender.modem, false, hdlc, now);
        s.enter(T30State.IV, now, Long.MAX_VALUE);
        s.awaitTx(() -> {
            int fcf2 = postPageCommand();
            T30Frame pps = s.frame(Fcf.PPS, new byte[] {(byte) fcf2, (byte) T30Frame.reverseBits(sender.pageIndex),
                    (byte) T30Frame.reverseBits(blockIndex), (byte) T30Frame.reverseBits(n - 1)});
            s.tries = 0;
            s.sendFrames(List.of(pps), s.lastTxEnd);
            s.enter(T30State.IV_PPS_Q, s.lastTxEnd, Long.MAX_VALUE);
            s.awaitResponse();
        });
    }

    /** The post-page command PPS and EOR carry after the current block: none (0) before the page's last block. */
    private int postPageCommand() {
        boolean lastBlock = blockStart + blockLength() >= pageFrames;
        return !lastBlock ? 0 : sender.postPageCommand().code() | 0x80;
    }

    /** A block's FCD frames, made when the front end asks for them, then RCP three times. */
    static final class BlockFrames extends AbstractList<byte[]> implements FaxFrontEnd.FrameLengths {
        /** Address, control and FCF octets, the frame number, then the frame's data. */
        private static final int FCD_LENGTH = 3 + 1 + ECM_FRAME;
        private final byte[] page;
        private final int from;
        private final int[] numbers;
        private final byte[] rcp;

        BlockFrames(byte[] page, int from, int[] numbers, byte[] rcp) {
            this.page = page;
            this.from = from;
            this.numbers = numbers;
            this.rcp = rcp;
        }

        @Override
        public byte[] get(int i) {
            return i < numbers.length ? fcd(page, from, numbers[i]) : rcp;
        }

        @Override
        public int length(int i) {
            return i < numbers.length ? FCD_LENGTH : rcp.length;
        }

        @Override
        public int size() {
            return numbers.length + 3;
        }
    }

    /**
     * Frame {@code number} of the block starting at frame {@code blockStart} of the coded page: every
     * frame is full length, the last padded with zeros after the end-of-page code.
     */
    private static byte[] fcd(byte[] coded, int blockStart, int number) {
        byte[] fif = new byte[1 + ECM_FRAME];
        fif[0] = (byte) T30Frame.reverseBits(number);
        int off = (blockStart + number) * ECM_FRAME;
        System.arraycopy(coded, off, fif, 1, Math.min(ECM_FRAME, coded.length - off));
        return new T30Frame(Fcf.FCD, false, false, fif).encode();
    }

    /** Node IV_PPS_Q: the answer to PPS (or to CTC or RR). */
    void ppsResponse(T30Frame last, long now) {
        if (last.fcf() != Fcf.RNR) busySince = -1;
        switch (last.fcf()) {
            case MCF -> blockConfirmed(now);
            case PPR -> partialPageRequest(last, now);
            case CTR -> {
                if (pendingResend != null) {
                    BitSet again = pendingResend;
                    pendingResend = null;
                    sendBlock(now, again);
                }
            }
            case RNR -> {
                // The receiver is busy: ask again with RR until it is ready, for at most T5 from its
                // first RNR (T.30 RR procedure; TSB-85 OTEN03), then give up with DCN.
                if (busySince < 0) busySince = now;
                if (now - busySince >= FaxSession.T5_MS) {
                    s.disconnect(FaxResult.RECEIVER_BUSY, now);
                    return;
                }
                s.tries = 0;
                s.sendFrames(List.of(s.frame(Fcf.RR)), now);
                s.awaitResponse();
            }
            case ERR -> {
                // The receiver took the block as it is after our EOR: the page is incomplete. spandsp's
                // reference ends the call there (TSB-85 OTEN04), and so do we.
                s.disconnect(FaxResult.PAGE_REJECTED, now);
            }
            default -> s.unexpected(last, now); // wait for a response we understand; T4 still runs
        }
    }

    private void blockConfirmed(long now) {
        pprCount = 0;
        int n = blockLength();
        if (blockStart + n < pageFrames) {
            blockStart += n;
            blockIndex++;
            sendBlock(now, null);
            return;
        }
        boolean eom = sender.postPageCommand() == Fcf.EOM;
        s.pagesDone++;
        s.event(new FaxEvent.Page(s.pagesDone, null));
        sender.pageIndex++;
        coded = new byte[0];
        if (sender.pageIndex >= sender.pages.count()) {
            s.sendDcnAndFinish(now);
        } else if (eom) {
            sender.awaitDisForNextDocument(now);
        } else {
            sender.startPage(now);
        }
    }

    private void partialPageRequest(T30Frame last, long now) {
        byte[] map = last.fif();
        BitSet missing = new BitSet();
        for (int i = 0; i < blockLength() && i / 8 < map.length; i++) {
            if ((map[i / 8] & (0x80 >>> (i % 8))) != 0) missing.set(i);
        }
        if (missing.isEmpty()) missing.set(0, blockLength());
        pprTotal++;
        ++pprCount;
        if (pprCount > 8) {
            // A PPR where EOR wanted ERR: the receiver goes on asking for a block we gave up.
            s.disconnect(FaxResult.PAGE_REJECTED, now);
            return;
        }
        if (pprCount == 8) {
            // Four more PPRs after CTC: the block cannot be corrected on this line. End its
            // retransmission (EOR, with the post-page command PPS carried) and let the receiver
            // take it as it is (T.30 A.4; TSB-85 OTEN04).
            s.tries = 0;
            s.sendFrames(List.of(s.frame(Fcf.EOR, new byte[] {(byte) postPageCommand()})), now);
            s.awaitResponse();
            return;
        }
        if (pprCount == 4) {
            // T.30 A.4: after four PPRs for a block, continue to correct (CTC), one rate lower if
            // there is one; the frames go again after the receiver's CTR.
            Modem next = sender.modem.fallback(sender.remoteDis.modems());
            if (next != null) sender.useModem(next);
            pendingResend = missing;
            byte[] dcsBits = sender.dcs.encode();
            s.tries = 0;
            // CTC's FIF carries only DCS's rate (bits 11-14), the other bits zero, as spandsp sends it
            // and TSB-85 OTEN04/05 check.
            s.sendFrames(List.of(s.frame(Fcf.CTC, new byte[] {0, (byte) (dcsBits[1] & 0x3C)})), now);
            s.awaitResponse();
            return;
        }
        sendBlock(now, missing);
    }
}
