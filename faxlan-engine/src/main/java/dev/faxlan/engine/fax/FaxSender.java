package dev.faxlan.engine.fax;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.Compression;
import dev.faxlan.engine.t30.Dcs;
import dev.faxlan.engine.t30.Dis;
import dev.faxlan.engine.t30.Fcf;
import dev.faxlan.engine.t30.Identity;
import dev.faxlan.engine.t30.Modem;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.engine.t30.T30FormatException;
import dev.faxlan.engine.t30.T30Frame;
import dev.faxlan.engine.t4.CodecOptions;
import dev.faxlan.engine.t4.T4Encoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The calling terminal's procedure (T.30 flow charts, sender side): phase B from DIS to CFR with rate
 * fallback after FTT, phases C and D without ECM (MPS/EOP, MCF, RTP, RTN), phase E. With ECM
 * negotiated, phases C and D are {@link EcmSender}'s.
 */
final class FaxSender implements FaxSession.Part {
    private final FaxSession s;
    final OutgoingPages pages;
    private final EcmSender ecm;
    private String remoteIdent = "";
    Dis remoteDis;
    Dcs dcs;
    Modem modem;
    int pageIndex;
    private int rtnCount;
    /** The last page coded (or the failure to read it), kept until it has been sent and confirmed. */
    private CodedPage coded;
    /** Whether a page is being coded (one at a time: a page source is asked for one page at a time). */
    private boolean coding;
    /** When phase C was due to begin while its page was still being coded; -1 when no page waits. */
    private long pageWantedAt = -1;

    /** A page as coded for sending, or why it could not be read. */
    private record CodedPage(int index, CodecOptions options, byte[] data, Exception failure) {
        boolean matches(int index, CodecOptions options) {
            return this.index == index && this.options.equals(options);
        }
    }

    FaxSender(FaxSession session, OutgoingPages pages) {
        this.s = session;
        this.pages = pages;
        this.ecm = new EcmSender(session, this);
    }

    void start(long now) {
        s.frontEnd.sendTone(FaxFrontEnd.Tone.CNG, now);
        s.enter(T30State.T, now, FaxSession.T1_MS);
    }

    @Override
    public int pprRounds() {
        return ecm.pprTotal();
    }

    @Override
    public void timeout(long now) {
        switch (s.state) {
            case T -> s.finish(FaxResult.T1_EXPIRED);
            case D_POST_TCF, II_Q, IV_PPS_Q -> {
                if (++s.tries >= FaxSession.MAX_TRIES) {
                    s.disconnect(FaxResult.NO_RESPONSE, now);
                } else if (s.state == T30State.D_POST_TCF) {
                    sendDcsAndTcf(now);
                } else {
                    s.resend(now);
                    s.awaitResponse();
                }
            }
            case B -> s.phaseETimeout();
            default -> {
                // no timer in other states
            }
        }
    }

    /**
     * A response T.30 does not define, to our post-page command or training check: spandsp ends the
     * call there with DCN (invalid response, TSB-85 MTGX20) rather than repeating the command, which
     * the receiver evidently did hear.
     */
    @Override
    public void unknownFinalFrame(byte[] frame, long now) {
        if (s.state == T30State.II_Q || s.state == T30State.IV_PPS_Q || s.state == T30State.D_POST_TCF) {
            s.disconnect(FaxResult.PROTOCOL_ERROR, now);
        }
    }

    @Override
    public void frames(List<T30Frame> frames, long now) {
        T30Frame last = frames.get(frames.size() - 1);
        if (last.fcf() == Fcf.DCN) {
            s.finish(s.pagesDone == pages.count() && s.state == T30State.B ? FaxResult.OK : FaxResult.REMOTE_DISCONNECTED);
            return;
        }
        if (last.fcf() == Fcf.CRP) {
            // A command repeat counts as a try, as a timeout does: after three the call ends (TSB-85
            // MTGX15). After DCS the whole command goes again, its training check too (MTGN13).
            if (++s.tries >= FaxSession.MAX_TRIES) {
                s.disconnect(FaxResult.NO_RESPONSE, now);
            } else if (s.state == T30State.D_POST_TCF) {
                sendDcsAndTcf(now);
            } else {
                s.resend(now);
            }
            return;
        }
        switch (s.state) {
            case T -> dis(frames, last, now);
            case D_POST_TCF -> postTcf(frames, last, now);
            case IV_PPS_Q -> ecm.ppsResponse(last, now);
            case II_Q -> postPageResponse(last, now);
            default -> s.unexpected(last, now);
        }
    }

    /** Phase B: the called terminal's capabilities; choose ours and send DCS and TCF. */
    private void dis(List<T30Frame> frames, T30Frame last, long now) {
        s.tries = 0;
        chooseAndSendDcs(frames, last, now);
    }

    private void chooseAndSendDcs(List<T30Frame> frames, T30Frame last, long now) {
        for (T30Frame f : frames) {
            if (f.fcf() == Fcf.CSI) remoteIdent = Identity.decode(f.fif());
        }
        if (last.fcf() != Fcf.DIS) {
            s.unexpected(last, now);
            return;
        }
        try {
            remoteDis = Dis.parse(last.fif());
        } catch (T30FormatException e) {
            s.disconnect(FaxResult.PROTOCOL_ERROR, now);
            return;
        }
        if (!remoteDis.readyToReceive()) {
            s.disconnect(FaxResult.REMOTE_NO_RECEIVER, now);
            return;
        }
        // Only the modems both ends have: DIS lists the receiver's, the front end says what it can carry.
        Set<Modem.Family> common = EnumSet.noneOf(Modem.Family.class);
        common.addAll(remoteDis.modems());
        common.retainAll(s.frontEnd.modemFamilies());
        if (common.isEmpty()) {
            s.disconnect(FaxResult.INCOMPATIBLE, now);
            return;
        }
        remoteDis = remoteDis.withModems(common);
        // The document at hand's width and resolution: each document of a call has its own phase B.
        Resolution wanted = Resolution.ofYDpi(pages.yRes(pageIndex));
        int width = pages.width(pageIndex);
        dcs = Dcs.withWidth(Dcs.choose(remoteDis, s.options.fastestModem(), wanted, s.options.ecm(), s.options.codings()), width);
        if (dcs.resolution() != wanted || !remoteDis.takesWidth(width)) {
            // Our pages are rendered at one resolution; sending them at another would distort them.
            s.disconnect(FaxResult.INCOMPATIBLE, now);
            return;
        }
        modem = dcs.modem();
        sendDcsAndTcf(now);
    }

    /** Node D: the answer to the training check. */
    private void postTcf(List<T30Frame> frames, T30Frame last, long now) {
        if (last.fcf() == Fcf.CFR) {
            s.event(new FaxEvent.Negotiated(dcs, remoteIdent, s.options.subaddress(), s.options.senderId()));
            startPage(now);
        } else if (last.fcf() == Fcf.FTT) {
            Modem next = modem.fallback(remoteDis.modems());
            if (next == null) {
                s.disconnect(FaxResult.TRAINING_FAILED, now);
                return;
            }
            useModem(next);
            s.tries = 0;
            sendDcsAndTcf(now);
        } else if (last.fcf() == Fcf.DIS) {
            // Our DCS was lost and the receiver repeated DIS: choose again from the DIS heard and send
            // DCS again. A repeat counts as a try: after the third the call ends (TSB-85 MTGX12).
            if (++s.tries >= FaxSession.MAX_TRIES) {
                s.disconnect(FaxResult.NO_RESPONSE, now);
                return;
            }
            chooseAndSendDcs(frames, last, now);
        } else {
            s.unexpected(last, now);
        }
    }

    /** Node II_Q: the answer to MPS or EOP. */
    private void postPageResponse(T30Frame last, long now) {
        boolean eom = postPageCommand() == Fcf.EOM;
        switch (last.fcf()) {
            case MCF, RTP -> {
                s.pagesDone++;
                s.event(new FaxEvent.Page(s.pagesDone, null));
                pageIndex++;
                coded = null;
                rtnCount = 0;
                if (pageIndex >= pages.count()) {
                    s.sendDcnAndFinish(now);
                } else if (eom) {
                    awaitDisForNextDocument(now);
                } else if (last.fcf() == Fcf.RTP) {
                    s.tries = 0;
                    sendDcsAndTcf(now);
                } else {
                    startPage(now);
                }
            }
            case RTN -> {
                if (++rtnCount >= FaxSession.MAX_TRIES) {
                    s.disconnect(FaxResult.PAGE_REJECTED, now);
                    return;
                }
                if (eom) {
                    // The receiver returns to phase B: the page goes again after its DIS.
                    awaitDisForNextDocument(now);
                    return;
                }
                // Retrain (at a lower rate if there is one) and send the page again.
                Modem next = modem.fallback(remoteDis.modems());
                if (next != null) useModem(next);
                s.tries = 0;
                sendDcsAndTcf(now);
            }
            case PIP, PIN -> s.disconnect(FaxResult.REMOTE_DISCONNECTED, now);
            default -> s.unexpected(last, now); // not a response to our command: wait for one (T4 still runs)
        }
    }

    /** What follows the page at {@code pageIndex}: EOP after the last, EOM before another document, else MPS. */
    Fcf postPageCommand() {
        if (pageIndex >= pages.count() - 1) return Fcf.EOP;
        return pages.startsDocument(pageIndex + 1) ? Fcf.EOM : Fcf.MPS;
    }

    /**
     * After EOM: the next document begins with phase B again. The called terminal sends DIS, and
     * DCS chooses anew for the next document's width and resolution (T.30 §5.3; TSB-85 MTGN14).
     */
    void awaitDisForNextDocument(long now) {
        s.enter(T30State.T, now, FaxSession.T1_MS);
    }

    /** Falls back to {@code m} for what follows. */
    void useModem(Modem m) {
        modem = m;
        Dcs d = dcs;
        dcs = new Dcs(m, d.resolution(), d.compression(), d.ecm(), d.ecm64(), d.widthCode(), d.lengthCode(), d.minScanLineMs(), d.subaddress(),
                d.senderId());
    }

    private void sendDcsAndTcf(long now) {
        // The page is coded during the training check, so that it is ready when CFR comes.
        codePage(now);
        List<T30Frame> frames = new ArrayList<>();
        frames.add(s.frame(Fcf.TSI, Identity.encode(s.options.ident())));
        boolean sub = s.options.subaddress() != null && remoteDis.subaddressing();
        boolean sid = s.options.senderId() != null && remoteDis.password();
        if (sub) frames.add(s.frame(Fcf.SUB, Identity.encode(s.options.subaddress())));
        if (sid) frames.add(s.frame(Fcf.SID, Identity.encode(s.options.senderId())));
        Dcs d = new Dcs(dcs.modem(), dcs.resolution(), dcs.compression(), dcs.ecm(), dcs.ecm64(), dcs.widthCode(), dcs.lengthCode(),
                dcs.minScanLineMs(), sub, sid);
        frames.add(s.frame(Fcf.DCS, d.encode()));
        s.sendFrames(frames, now);
        s.frontEnd.sendTcf(modem, now);
        s.enter(T30State.D_POST_TCF, now, Long.MAX_VALUE);
        s.awaitResponse();
    }

    /** How the page is coded for the current DCS and modem. */
    private CodecOptions codecOptions() {
        int k = dcs.resolution() == Resolution.STANDARD ? 2 : 4;
        if (dcs.ecm()) {
            return switch (dcs.compression()) {
                case MMR -> CodecOptions.mmr();
                case MR -> CodecOptions.mr(k);
                default -> CodecOptions.mh();
            };
        }
        int minBits = dcs.minScanLineMs() * modem.bitRate() / 1000;
        return (dcs.compression() == Compression.MR ? CodecOptions.mr(k) : CodecOptions.mh()).withMinBitsPerLine(minBits);
    }

    /** Asks for the page at {@code pageIndex} coded for the current DCS, unless it is coded or being coded. */
    private void codePage(long now) {
        CodecOptions options = codecOptions();
        if (coding || coded != null && coded.matches(pageIndex, options)) return;
        coding = true;
        int index = pageIndex;
        s.work.submit(() -> code(index, options), this::pageCoded, now);
    }

    /** Reads and codes one page; runs wherever the session's page work runs, and touches no session state. */
    private CodedPage code(int index, CodecOptions options) {
        try {
            BilevelPage page = pages.page(index);
            if (page.width() != pages.width(index) || page.yRes() != pages.yRes(index)) {
                throw new IOException("page " + (index + 1) + " is " + page.width() + " pels at " + page.yRes() + " dpi, not " + pages.width(index)
                        + " at " + pages.yRes(index));
            }
            return new CodedPage(index, options, T4Encoder.encode(page, options), null);
        } catch (IOException | RuntimeException e) {
            return new CodedPage(index, options, null, e);
        }
    }

    private void pageCoded(CodedPage page, long now) {
        coding = false;
        if (s.state == T30State.CALL_FINISHED) return;
        coded = page;
        if (pageWantedAt < 0) return; // coded ahead
        if (!page.matches(pageIndex, codecOptions())) {
            // The modem changed while the page was being coded: code it again.
            codePage(now);
            return;
        }
        // Coded within the gap before the image modem's training: the page goes out as if coded at once.
        long start = now - pageWantedAt <= T38FrontEnd.SILENCE_MS ? pageWantedAt : now;
        pageWantedAt = -1;
        sendPage(page, start);
    }

    /** Phase C: the page at {@code pageIndex}, once it is coded. */
    void startPage(long now) {
        if (pageWantedAt >= 0) return; // already waiting for it
        if (coded != null && coded.matches(pageIndex, codecOptions())) {
            sendPage(coded, now);
            return;
        }
        pageWantedAt = now;
        codePage(now);
        // Still being coded: phase C has begun, with no timer, and nothing goes out until the page is ready.
        // A response timer waiting for a repeated command to leave is dropped too (the page replaces it).
        if (pageWantedAt >= 0) {
            s.enter(dcs.ecm() ? T30State.IV : T30State.I, now, Long.MAX_VALUE);
            s.awaitTx(null);
        }
    }

    /** Phase C: the coded page, then (node II) the post-page command; ECM's blocks are {@link EcmSender}'s. */
    private void sendPage(CodedPage page, long now) {
        if (page.failure() != null) {
            s.disconnect(FaxResult.PAGE_NOT_READ, now);
            return;
        }
        if (dcs.ecm()) {
            coded = null; // the ECM sender keeps it until the page is confirmed
            ecm.startPage(page.data(), now);
            return;
        }
        byte[] data = page.data();
        // At least 40 ms of zeros after RTC, or gateways cut the last rows (field notes §3).
        int tail = Math.max(1, modem.bitRate() * 40 / 8000);
        s.frontEnd.sendImage(modem, false, Arrays.copyOf(data, data.length + tail), now);
        s.enter(T30State.I, now, Long.MAX_VALUE);
        s.awaitTx(() -> {
            s.tries = 0;
            s.sendFrames(List.of(s.frame(postPageCommand())), s.lastTxEnd);
            s.enter(T30State.II_Q, s.lastTxEnd, Long.MAX_VALUE);
            s.awaitResponse();
        });
    }
}
