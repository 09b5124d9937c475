package dev.faxlan.engine.fax;

import dev.faxlan.engine.t4.Compression;
import dev.faxlan.engine.t30.Dcs;
import dev.faxlan.engine.t30.Dis;
import dev.faxlan.engine.t30.Fcf;
import dev.faxlan.engine.t30.Identity;
import dev.faxlan.engine.t30.Modem;
import dev.faxlan.engine.t30.T30FormatException;
import dev.faxlan.engine.t30.T30Frame;
import dev.faxlan.engine.t4.CodecOptions;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.engine.t4.FaxCodecException;
import dev.faxlan.engine.t4.T4Decoder;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The answering terminal's procedure (T.30 flow charts, receiver side): CED and DIS repeated until
 * DCS (node R), the training check judged (F_TCF), pages without ECM confirmed with MCF or refused with
 * RTN (F_DOC_NON_ECM, F_POST_DOC_NON_ECM), phase E. With ECM negotiated, phases C and D are
 * {@link EcmReceiver}'s.
 */
final class FaxReceiver implements FaxSession.Part {
    private final FaxSession s;
    private final EcmReceiver ecm;
    private String remoteIdent = "";
    private String remoteSub;
    private String remoteSid;
    Dcs dcs;
    private Modem modem;
    // Grown as data comes: a buffer sized for a page up front, per call, is memory held for nothing at many calls.
    private final ByteArrayOutputStream image = new ByteArrayOutputStream();
    private boolean pageOk;
    private DecodeResult lastPage;
    private boolean pageData;
    /** Whether the last page is being decoded, and the post-page command heard meanwhile (answered once it is). */
    private boolean decoding;
    private Fcf heldCommand;
    /** DIS bursts sent in this phase B without an answer. */
    private int disSent;

    /** A document held for polling (answering), or null. */
    private final PolledDocument held;
    /** What we poll for (calling to poll), or null. */
    private final PollRequest polling;

    FaxReceiver(FaxSession session, PolledDocument held, PollRequest polling) {
        this.s = session;
        this.ecm = new EcmReceiver(session, this);
        this.held = held;
        this.polling = polling;
    }

    void start(long now) {
        disSent = 1;
        s.frontEnd.sendTone(FaxFrontEnd.Tone.CED, now);
        s.enter(T30State.R, now, Long.MAX_VALUE);
        s.sendFrames(disFrames(), now + FaxSession.CED_MS);
        s.awaitTx(() -> s.deadline = Math.min(s.stateStarted + FaxSession.T1_MS, s.lastTxEnd + FaxSession.T4_MS));
    }

    /** Calling to poll: CNG, then the called terminal's DIS is awaited (node T, timer T1). */
    void startPolling(long now) {
        s.frontEnd.sendTone(FaxFrontEnd.Tone.CNG, now);
        s.enter(T30State.T, now, FaxSession.T1_MS);
    }

    /** Our capabilities as a receiver: in DIS when answering (with the polling bits when a document is held). */
    private Dis receiveCapabilities() {
        boolean ecmOn = s.options.ecm();
        return new Dis(true, s.frontEnd.modemFamilies(), true, true, s.options.codings().contains(Compression.MR),
                ecmOn && s.options.codings().contains(Compression.MMR), ecmOn, 1, 1, 0, false, true, true, false);
    }

    /** What we send to be sent to: CSI and DIS, or as a poller (NSC) (CIG) (PWD) (SEP) DTC. */
    private List<T30Frame> disFrames() {
        if (polling != null) return dtcFrames();
        Dis dis = receiveCapabilities().withPolling(held != null, held != null);
        return List.of(s.frame(Fcf.CSI, Identity.encode(s.options.ident())), s.frame(Fcf.DIS, dis.encode()));
    }

    /** The poller's command: CIG, PWD and SEP where the called terminal's DIS takes them, then DTC. */
    private List<T30Frame> dtcFrames() {
        boolean pwd = polling.password() != null && remoteDis.password();
        boolean sep = polling.selectiveAddress() != null && remoteDis.selectivePolling();
        List<T30Frame> frames = new java.util.ArrayList<>();
        frames.add(s.frame(Fcf.CIG, Identity.encode(s.options.ident())));
        if (pwd) frames.add(s.frame(Fcf.PWD, Identity.encode(polling.password())));
        if (sep) frames.add(s.frame(Fcf.SEP, Identity.encode(polling.selectiveAddress())));
        // A DTC's bits 47 and 50 say that SEP and PWD come with it; bit 9 stays 0 (we hold nothing).
        Dis dtc = receiveCapabilities().withPassword(pwd).withPolling(false, sep);
        frames.add(s.frame(Fcf.DTC, dtc.encode()));
        return frames;
    }

    /** The called terminal's DIS, when polling. */
    private Dis remoteDis;

    /** Node T when polling: the called terminal's DIS must offer a document; we ask for it with DTC. */
    private void pollDis(List<T30Frame> frames, T30Frame last, long now) {
        if (last.fcf() != Fcf.DIS) {
            s.unexpected(last, now);
            return;
        }
        for (T30Frame f : frames) {
            if (f.fcf() == Fcf.CSI) remoteIdent = Identity.decode(f.fif());
        }
        s.disReceived = true;
        try {
            remoteDis = Dis.parse(last.fif());
        } catch (T30FormatException e) {
            s.disconnect(FaxResult.PROTOCOL_ERROR, now);
            return;
        }
        if (!remoteDis.readyToTransmit()) {
            s.disconnect(FaxResult.NOTHING_TO_POLL, now);
            return;
        }
        s.tries = 0;
        sendDtc(now);
    }

    /** DTC (with its identity and password frames), then node R: the polled terminal's DCS is awaited, DTC repeated on T4. */
    private void sendDtc(long now) {
        s.enter(T30State.R, now, Long.MAX_VALUE);
        s.sendFrames(dtcFrames(), now);
        long started = s.stateStarted;
        s.awaitTx(() -> s.deadline = Math.min(started + FaxSession.T1_MS, s.lastTxEnd + FaxSession.T4_MS));
    }

    /** Whether {@code dis} is the DIS we send: our own, echoed back by the line, not a caller's. */
    private boolean ownDis(T30Frame dis) {
        List<T30Frame> ours = disFrames();
        return java.util.Arrays.equals(ours.get(ours.size() - 1).fif(), dis.fif());
    }

    /**
     * Node R, answering: a caller's DTC, or a DIS in its place (T.30 lets a caller with nothing to send
     * answer DIS with DIS), asks for the document held for polling. It is sent if the password and the
     * selective polling address match; otherwise, or with no document held, DCN.
     */
    private void polledBy(List<T30Frame> frames, T30Frame last, long now) {
        if (last.fcf() == Fcf.DIS) s.disReceived = true;
        String pwd = null;
        String sep = null;
        for (T30Frame f : frames) {
            if (f.fcf() == Fcf.PWD) pwd = Identity.decode(f.fif());
            if (f.fcf() == Fcf.SEP) sep = Identity.decode(f.fif());
        }
        if (held == null) {
            s.disconnect(FaxResult.NOTHING_TO_POLL, now);
            return;
        }
        FaxResult refused = held.refusal(pwd, sep);
        if (refused != null) {
            s.disconnect(refused, now);
            return;
        }
        s.becomePolledSender(held.pages(), frames, now);
    }

    @Override
    public void timeout(long now) {
        switch (s.state) {
            case T -> s.finish(FaxResult.T1_EXPIRED);
            case R -> {
                if (now - s.stateStarted >= FaxSession.T1_MS) {
                    s.finish(FaxResult.T1_EXPIRED);
                } else if (disSent >= FaxSession.MAX_TRIES) {
                    // Three DIS unanswered: DCN, as spandsp's reference does (TSB-85 MRGX01), rather
                    // than holding the line until T1 for a caller that is not a fax machine. A caller
                    // that never sent DCS never identified itself (T1_EXPIRED keeps that meaning).
                    s.disconnect(dcs == null ? FaxResult.T1_EXPIRED : FaxResult.NO_RESPONSE, now);
                } else {
                    disSent++;
                    // Repeat DIS until the caller answers (T.30 flow chart: T4 between DIS repeats).
                    s.sendFrames(disFrames(), now);
                    s.deadline = Long.MAX_VALUE;
                    long started = s.stateStarted;
                    s.awaitTx(() -> s.deadline = Math.min(started + FaxSession.T1_MS, s.lastTxEnd + FaxSession.T4_MS));
                }
            }
            case F_TCF -> {
                // A DCS with no training check after it: the check failed (FTT), and the caller may try
                // again, as TSB-85 MRGN13 and MRGN15 expect.
                s.sendFrames(List.of(s.frame(Fcf.FTT)), now);
                s.enter(T30State.R, now, FaxSession.T1_MS);
            }
            case F_DOC_ECM -> {
                if (!ecm.notReady(now)) s.disconnect(FaxResult.PAGE_TIMEOUT, now);
            }
            case F_DOC_NON_ECM -> s.disconnect(FaxResult.PAGE_TIMEOUT, now);
            case F_POST_DOC_NON_ECM -> s.disconnect(FaxResult.T2_EXPIRED, now);
            case B -> s.phaseETimeout();
            default -> {
                // no timer in other states
            }
        }
    }

    /**
     * The caller's flags began: T.30 5.4.3.1 resets the timer we wait with, so a DCS whose preamble is
     * already on the line is not talked over by a repeated DIS (TSB-85 MRGN06b), and bad frames each
     * give the caller a fresh T2 for its next try (MRGN17).
     */
    @Override
    public void flagsHeard(long now) {
        if (s.deadline == Long.MAX_VALUE) return;
        switch (s.state) {
            case R -> s.deadline = Math.max(s.deadline, now + FaxSession.T4_MS);
            case F_POST_DOC_NON_ECM, B -> s.deadline = Math.max(s.deadline, now + FaxSession.T2_MS);
            default -> {
                // page and training timers run on the image carrier
            }
        }
    }

    /** A burst with no valid frame where a command was due: ask for it again. */
    @Override
    public void noValidFrame(long now) {
        if (s.state == T30State.F_POST_DOC_NON_ECM) {
            // T2 runs again from the end of our CRP: the caller repeats its command after it (MRGN17).
            s.sendFrames(List.of(s.frame(Fcf.CRP)), now);
            s.awaitTx(() -> s.deadline = Math.max(s.deadline, s.lastTxEnd + FaxSession.T2_MS));
        } else if (s.state == T30State.R && dcs != null) {
            s.sendFrames(List.of(s.frame(Fcf.CRP)), now);
        }
    }

    @Override
    public void frames(List<T30Frame> frames, long now) {
        T30Frame last = frames.get(frames.size() - 1);
        if (last.fcf() == Fcf.DCN) {
            boolean complete = s.state == T30State.B || (s.state == T30State.F_POST_DOC_NON_ECM && s.result == FaxResult.OK);
            s.finish(complete ? FaxResult.OK : FaxResult.REMOTE_DISCONNECTED);
            return;
        }
        if (last.fcf() == Fcf.CRP) {
            s.resend(now);
            return;
        }
        if (s.state == T30State.T) {
            pollDis(frames, last, now);
            return;
        }
        if (s.state == T30State.R && polling == null && (last.fcf() == Fcf.DTC || last.fcf() == Fcf.DIS && !ownDis(last))) {
            polledBy(frames, last, now);
            return;
        }
        if (s.state == T30State.R && polling != null && last.fcf() == Fcf.DIS) {
            // The polled terminal repeated its DIS: our DTC was lost.
            sendDtc(now);
            return;
        }
        if (last.fcf() == Fcf.DCS) {
            eomConfirmed = false;
            dcs(frames, last, now);
            return;
        }
        if (s.state == T30State.R && eomConfirmed && last.fcf() == Fcf.EOM) {
            s.sendFrames(List.of(s.frame(Fcf.MCF)), now);
            awaitDisAfterEom(now);
            return;
        }
        if (s.state == T30State.F_DOC_ECM || (s.state == T30State.B && dcs != null && dcs.ecm())) {
            ecm.frames(frames, now);
            return;
        }
        if (s.state == T30State.F_POST_DOC_NON_ECM || s.state == T30State.F_DOC_NON_ECM) {
            switch (last.fcf()) {
                case MPS, EOP, EOM -> postMessage(last.fcf(), now);
                default -> s.unexpected(last, now); // not a post-message command: keep waiting
            }
        } else if (s.state == T30State.B && (last.fcf() == Fcf.EOP || last.fcf() == Fcf.MPS)) {
            // Our MCF was lost: repeat it.
            s.resend(now);
        } else {
            s.unexpected(last, now);
        }
    }

    /** Node R: the caller's choice; the training check follows. */
    private void dcs(List<T30Frame> frames, T30Frame last, long now) {
        for (T30Frame f : frames) {
            if (f.fcf() == Fcf.TSI) remoteIdent = Identity.decode(f.fif());
            if (f.fcf() == Fcf.SUB) remoteSub = Identity.decode(f.fif());
            if (f.fcf() == Fcf.SID) remoteSid = Identity.decode(f.fif());
        }
        try {
            dcs = Dcs.parse(last.fif());
        } catch (T30FormatException e) {
            s.observer.malformedFrame(s.state, last.encode(), e.getMessage(), now);
            s.sendFrames(List.of(s.frame(Fcf.FTT)), now);
            return;
        }
        modem = dcs.modem();
        image.reset();
        pageData = false;
        s.enter(T30State.F_TCF, now, FaxSession.T2_MS);
    }

    @Override
    public void imageData(byte[] chunk, long now) {
        if (s.state == T30State.F_TCF || s.state == T30State.F_DOC_NON_ECM) {
            pageData = true;
            if (image.size() < (64 << 20)) image.writeBytes(chunk);
            s.deadline = now + FaxSession.PAGE_TIMEOUT_MS;
        }
    }

    @Override
    public void imageEnd(long now) {
        if (s.state == T30State.F_TCF) tcfEnded(now);
        else if (s.state == T30State.F_DOC_NON_ECM) pageEnded(now);
    }

    private void tcfEnded(long now) {
        byte[] tcf = image.toByteArray();
        image.reset();
        int run = 0;
        int best = 0;
        for (byte b : tcf) {
            run = b == 0 ? run + 1 : 0;
            best = Math.max(best, run);
        }
        // A zero run of at least 1 s at the negotiated rate, as spandsp requires.
        boolean ok = best >= modem.bitRate() / 8;
        if (ok) {
            pageData = false;
            s.sendFrames(List.of(s.frame(Fcf.CFR)), now);
            s.event(new FaxEvent.Negotiated(dcs, remoteIdent, remoteSub, remoteSid));
            if (dcs.ecm()) {
                ecm.startPage();
                s.enter(T30State.F_DOC_ECM, now, FaxSession.T2_MS + FaxSession.PAGE_TIMEOUT_MS);
            } else {
                s.enter(T30State.F_DOC_NON_ECM, now, FaxSession.T2_MS + FaxSession.PAGE_TIMEOUT_MS);
            }
        } else {
            s.sendFrames(List.of(s.frame(Fcf.FTT)), now);
            s.enter(T30State.R, now, FaxSession.T1_MS);
        }
    }

    private void pageEnded(long now) {
        byte[] data = image.toByteArray();
        image.reset();
        s.enter(T30State.F_POST_DOC_NON_ECM, now, FaxSession.T2_MS);
        decoding = true;
        decode(data, this::pageDecoded, now);
    }

    /** Decodes a page's image data as the DCS says, on the call's page worker; {@code then} hears the page, or null if it cannot be decoded. */
    void decode(byte[] data, PageWork.Answer<DecodeResult> then, long now) {
        CodecOptions opts = switch (dcs.compression()) {
            case MMR -> CodecOptions.mmr();
            case MR -> CodecOptions.mr(4);
            default -> CodecOptions.mh();
        };
        int width = dcs.widthPels();
        int yDpi = dcs.resolution().yDpi();
        s.work.submit(() -> {
            try {
                return T4Decoder.decode(data, width, 204, yDpi, opts, 0);
            } catch (FaxCodecException e) {
                return null;
            }
        }, then, now);
    }

    /** The page decoded (null: it could not be); a post-page command that came meanwhile is answered now. */
    private void pageDecoded(DecodeResult decoded, long now) {
        decoding = false;
        lastPage = decoded;
        pageOk = decoded != null && decoded.page().height() > 0 && (long) decoded.badLineCount() * 100 < (long) decoded.page().height() * FaxSession.BAD_ROWS_PERCENT;
        if (heldCommand != null && s.state != T30State.CALL_FINISHED) {
            Fcf command = heldCommand;
            heldCommand = null;
            postMessage(command, now);
        }
    }

    /** Node F_POST_DOC_NON_ECM: MPS, EOP or EOM after a page; confirm it (MCF) or refuse it (RTN). */
    private void postMessage(Fcf command, long now) {
        if (decoding) {
            heldCommand = command;
            return;
        }
        if (!pageData && lastPage == null && s.pagesDone > 0) {
            // The same command again, with no page in between: our MCF was lost. Repeat it.
            s.resend(now);
            return;
        }
        if (s.state == T30State.F_DOC_NON_ECM) {
            // The page carrier's end was lost; judge what arrived.
            pageEnded(now);
            if (decoding) {
                heldCommand = command;
                return;
            }
        }
        pageData = false;
        if (pageOk && lastPage != null) {
            s.pagesDone++;
            s.event(new FaxEvent.Page(s.pagesDone, lastPage));
            lastPage = null;
            pageOk = false;
            if (command == Fcf.EOP) {
                // The fax is complete: stored by the owner before the MCF that tells the sender it is
                // delivered. A repeated EOP meanwhile is held, as while a page is decoded, and answered once.
                decoding = true;
                s.storeLastPage((stored, at) -> lastPageStored(stored, command, at), now);
                return;
            }
            s.sendFrames(List.of(s.frame(Fcf.MCF)), now);
            afterConfirmed(command, now);
        } else {
            s.sendFrames(List.of(s.frame(Fcf.RTN)), now);
            s.enter(T30State.R, now, FaxSession.T1_MS);
        }
    }

    /** The owner stored the fax (or could not): MCF, or DCN without it so the sender does not count the fax delivered. */
    void lastPageStored(boolean stored, Fcf command, long now) {
        decoding = false;
        heldCommand = null;
        if (s.state == T30State.CALL_FINISHED) return;
        if (!stored) {
            s.disconnect(FaxResult.RECEIVED_NOT_STORED, now);
            return;
        }
        s.sendFrames(List.of(s.frame(Fcf.MCF)), now);
        afterConfirmed(command, now);
    }

    /** An EOM was confirmed and no DCS has come since: a repeated EOM gets MCF again. */
    private boolean eomConfirmed;

    private void awaitDisAfterEom(long now) {
        disSent = 0;
        s.enter(T30State.R, now, Long.MAX_VALUE);
        // T2, as spandsp waits: a caller polling after its document (TSB-85 ORGP10) sends DTC up to 3 s
        // after our MCF, and a DIS at T4 would collide with it.
        s.awaitTx(() -> s.deadline = s.lastTxEnd + FaxSession.T2_MS);
    }

    /** Where a confirmed page leads: the next page (MPS), phase B again (EOM), or phase E (EOP, or a command we do not know). */
    void afterConfirmed(Fcf command, long now) {
        if (command == Fcf.MPS) {
            s.enter(dcs.ecm() ? T30State.F_DOC_ECM : T30State.F_DOC_NON_ECM, now, FaxSession.T2_MS + FaxSession.PAGE_TIMEOUT_MS);
        } else if (command == Fcf.EOM) {
            // Phase B again: the called terminal offers its capabilities (DIS) T2 after its MCF, as
            // after answering, unless the caller sends DCS for the next document first (TSB-85 MRGN09);
            // a repeated EOM meanwhile means our MCF was lost (MRGN16).
            eomConfirmed = true;
            awaitDisAfterEom(now);
        } else {
            s.result = FaxResult.OK;
            s.enter(T30State.B, now, FaxSession.T2_MS);
        }
    }
}
