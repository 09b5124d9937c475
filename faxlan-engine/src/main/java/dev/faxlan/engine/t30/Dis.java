package dev.faxlan.engine.t30;

import dev.faxlan.engine.t4.Resolution;
import java.util.EnumSet;
import java.util.Set;

/**
 * A receiver's capabilities, as sent in DIS (or DTC). Only the bits a G3 terminal over T.38 acts on
 * are modelled; others are ignored when parsing and left 0 when building.
 *
 * @param minScanLineMs the minimum scan line time at standard resolution (bits 21-23)
 * @param minScanHalvedForFine whether fine/superfine lines may take half of it (bits 21-23 codes 3, 5, 6)
 * @param readyToTransmit bit 9: a document is held for polling (in DIS); 0 in the DTC of a poller
 * @param selectivePolling bit 47: selective polling (SEP) is understood (DIS), or a SEP comes with this DTC
 */
public record Dis(boolean readyToReceive, Set<Modem.Family> modems, boolean fine, boolean superfine, boolean mr, boolean mmr,
        boolean ecm, int widthCode, int lengthCode, int minScanLineMs, boolean minScanHalvedForFine, boolean subaddressing,
        boolean password, boolean t38, boolean readyToTransmit, boolean selectivePolling) {

    public Dis {
        modems = Set.copyOf(modems);
    }

    /** A DIS with nothing to be polled. */
    public Dis(boolean readyToReceive, Set<Modem.Family> modems, boolean fine, boolean superfine, boolean mr, boolean mmr, boolean ecm,
            int widthCode, int lengthCode, int minScanLineMs, boolean minScanHalvedForFine, boolean subaddressing, boolean password, boolean t38) {
        this(readyToReceive, modems, fine, superfine, mr, mmr, ecm, widthCode, lengthCode, minScanLineMs, minScanHalvedForFine, subaddressing,
                password, t38, false, false);
    }

    /** This DIS with the polling bits: a document held ({@code transmit}), SEP understood or sent ({@code selective}). */
    public Dis withPolling(boolean transmit, boolean selective) {
        return new Dis(readyToReceive, modems, fine, superfine, mr, mmr, ecm, widthCode, lengthCode, minScanLineMs, minScanHalvedForFine,
                subaddressing, password, t38, transmit, selective);
    }

    /** This DIS with the password bit (50): PWD understood (DIS), or a PWD comes with this DTC. */
    public Dis withPassword(boolean on) {
        return new Dis(readyToReceive, modems, fine, superfine, mr, mmr, ecm, widthCode, lengthCode, minScanLineMs, minScanHalvedForFine,
                subaddressing, on, t38, readyToTransmit, selectivePolling);
    }

    /** What faxlan offers as a receiver: everything it supports, no minimum scan line time. */
    public static Dis faxlanReceiver(boolean ecm) {
        return new Dis(true, EnumSet.allOf(Modem.Family.class), true, true, true, ecm, ecm, 0, 1, 0, false, true, true, false);
    }

    /** This DIS offering only {@code families}. */
    public Dis withModems(Set<Modem.Family> families) {
        return new Dis(readyToReceive, families, fine, superfine, mr, mmr, ecm, widthCode, lengthCode, minScanLineMs, minScanHalvedForFine,
                subaddressing, password, t38, readyToTransmit, selectivePolling);
    }

    public byte[] encode() {
        FifBits f = new FifBits(8);
        f.set(3, t38);
        f.set(9, readyToTransmit);
        f.set(10, readyToReceive);
        int dsr;
        if (modems.contains(Modem.Family.V17)) dsr = 0xD;
        else if (modems.contains(Modem.Family.V29) && modems.contains(Modem.Family.V27TER)) dsr = 0xC;
        else if (modems.contains(Modem.Family.V29)) dsr = 0x8;
        else if (modems.contains(Modem.Family.V27TER)) dsr = 0x4;
        else dsr = 0x0;
        f.setField(11, 4, dsr);
        f.set(15, fine);
        f.set(16, mr);
        f.setField(17, 2, widthCode);
        f.setField(19, 2, lengthCode);
        f.setField(21, 3, scanCode());
        f.set(27, ecm);
        f.set(31, mmr && ecm);
        f.set(41, superfine);
        f.set(45, true); // metric resolutions preferred (our pages are 204x98/196/391)
        f.set(46, superfine && minScanHalvedForFine);
        f.set(47, selectivePolling);
        f.set(49, subaddressing);
        f.set(50, password);
        return f.toBytes();
    }

    private int scanCode() {
        return switch (minScanLineMs) {
            case 0 -> 7;
            case 5 -> 4;
            case 10 -> minScanHalvedForFine ? 3 : 2;
            case 40 -> minScanHalvedForFine ? 5 : 1;
            default -> minScanHalvedForFine ? 6 : 0;
        };
    }

    public static Dis parse(byte[] fif) throws T30FormatException {
        if (fif.length < 3) throw new T30FormatException("DIS of " + fif.length + " octets is shorter than 3");
        FifBits f = new FifBits(fif);
        Set<Modem.Family> modems = EnumSet.noneOf(Modem.Family.class);
        switch (f.field(11, 4)) {
            case 0x0, 0x4 -> modems.add(Modem.Family.V27TER);
            case 0x8 -> modems.add(Modem.Family.V29);
            case 0xC -> {
                modems.add(Modem.Family.V27TER);
                modems.add(Modem.Family.V29);
            }
            case 0xD, 0xF -> modems.addAll(EnumSet.allOf(Modem.Family.class));
            default -> modems.add(Modem.Family.V27TER); // "not used"/reserved: assume the mandatory V.27 ter
        }
        int scan = f.field(21, 3);
        int ms;
        boolean halved;
        switch (scan) {
            case 0 -> { ms = 20; halved = false; }
            case 1 -> { ms = 40; halved = false; }
            case 2 -> { ms = 10; halved = false; }
            case 4 -> { ms = 5; halved = false; }
            case 3 -> { ms = 10; halved = true; }
            case 6 -> { ms = 20; halved = true; }
            case 5 -> { ms = 40; halved = true; }
            default -> { ms = 0; halved = false; }
        }
        boolean ecm = f.get(27);
        return new Dis(f.get(10), modems, f.get(15), f.get(41), f.get(16), ecm && f.get(31), ecm, f.field(17, 2), f.field(19, 2),
                ms, halved, f.get(49), f.get(50), f.get(3), f.get(9), f.get(47));
    }

    /** Whether the receiver prints lines {@code pels} wide (bits 17-18: 0 = A4 only, 1 = A4/B4/A3, 2 = A4/B4). */
    public boolean takesWidth(int pels) {
        return switch (pels) {
            case 1728 -> true;
            case 2048 -> widthCode == 1 || widthCode == 2;
            case 2432 -> widthCode == 1;
            default -> false;
        };
    }

    /** Minimum scan line time in ms for pages at {@code r}. */
    public int minScanLineMs(Resolution r) {
        if (r == Resolution.STANDARD || !minScanHalvedForFine) return minScanLineMs;
        return minScanLineMs / 2;
    }
}
