package dev.faxlan.engine.t30;

import dev.faxlan.engine.t4.Compression;
import dev.faxlan.engine.t4.Resolution;

/**
 * The sender's choice for the coming pages, as sent in DCS: modem and rate, resolution, coding,
 * ECM and its frame size, and the minimum scan line time the sender will honour. The coding is MH,
 * MR or MMR: T.30 has no bit for RLE.
 */
public record Dcs(Modem modem, Resolution resolution, Compression compression, boolean ecm, boolean ecm64, int widthCode,
        int lengthCode, int minScanLineMs, boolean subaddress, boolean senderId) {

    /** Scan line width in pels at 204 dpi for a DCS width code (bits 17-18): 0 = 215 mm, 1 = 303 mm, 2 = 255 mm. */
    public static int widthPels(int widthCode) {
        return switch (widthCode) {
            case 1 -> 2432;
            case 2 -> 2048;
            default -> 1728;
        };
    }

    /** The DCS width code for a page width in pels, or -1 when it is not a T.30 width. */
    public static int widthCode(int pels) {
        return switch (pels) {
            case 1728 -> 0;
            case 2048 -> 2;
            case 2432 -> 1;
            default -> -1;
        };
    }

    public int widthPels() {
        return widthPels(widthCode);
    }

    public byte[] encode() {
        FifBits f = new FifBits(8);
        f.set(10, true);
        f.setField(11, 4, modem.dcsCode());
        f.set(15, resolution == Resolution.FINE);
        f.set(16, compression == Compression.MR);
        f.setField(17, 2, widthCode);
        f.setField(19, 2, lengthCode);
        f.setField(21, 3, switch (minScanLineMs) {
            case 0 -> 7;
            case 5 -> 4;
            case 10 -> 2;
            case 40 -> 1;
            default -> 0;
        });
        f.set(27, ecm);
        f.set(28, ecm && ecm64);
        f.set(31, compression == Compression.MMR);
        f.set(41, resolution == Resolution.SUPERFINE);
        f.set(49, subaddress);
        f.set(50, senderId);
        return f.toBytes();
    }

    public static Dcs parse(byte[] fif) throws T30FormatException {
        if (fif.length < 3) throw new T30FormatException("DCS of " + fif.length + " octets is shorter than 3");
        FifBits f = new FifBits(fif);
        Modem modem = Modem.ofDcsCode(f.field(11, 4));
        Resolution res = f.get(41) ? Resolution.SUPERFINE : f.get(15) ? Resolution.FINE : Resolution.STANDARD;
        boolean ecm = f.get(27);
        Compression c = ecm && f.get(31) ? Compression.MMR : f.get(16) ? Compression.MR : Compression.MH;
        if (f.get(31) && !ecm) throw new T30FormatException("DCS selects T.6 (MMR) coding without ECM");
        int ms = switch (f.field(21, 3)) {
            case 1 -> 40;
            case 2 -> 10;
            case 4 -> 5;
            case 7 -> 0;
            default -> 20;
        };
        return new Dcs(modem, res, c, ecm, ecm && f.get(28), f.field(17, 2), f.field(19, 2), ms, f.get(49), f.get(50));
    }

    /**
     * What a sender picks from a receiver's DIS: the fastest common modem (or {@code start} when falling
     * back), the page's resolution if the receiver takes it (else the best it takes below it), the best
     * common coding, ECM when both offer it.
     */
    public static Dcs choose(Dis dis, Modem start, Resolution wanted, boolean ecmWanted, java.util.Set<Compression> codings) {
        boolean ecm = ecmWanted && dis.ecm();
        Resolution res = wanted;
        if (res == Resolution.SUPERFINE && !dis.superfine()) res = Resolution.FINE;
        if (res == Resolution.FINE && !dis.fine()) res = Resolution.STANDARD;
        Compression c = ecm && dis.mmr() && codings.contains(Compression.MMR) ? Compression.MMR
                : dis.mr() && codings.contains(Compression.MR) ? Compression.MR : Compression.MH;
        Modem m = start;
        while (m != null && !dis.modems().contains(m.family())) m = m.fallback(dis.modems());
        if (m == null) m = Modem.V27_2400;
        int scan = ecm ? 0 : dis.minScanLineMs(res);
        return new Dcs(m, res, c, ecm, false, 0, dis.lengthCode() == 1 ? 1 : 0, scan, false, false);
    }

    /** {@code d} for pages {@code pels} wide. */
    public static Dcs withWidth(Dcs d, int pels) {
        return new Dcs(d.modem(), d.resolution(), d.compression(), d.ecm(), d.ecm64(), widthCode(pels), d.lengthCode(), d.minScanLineMs(),
                d.subaddress(), d.senderId());
    }
}
