package dev.faxlan.engine.fax;

import dev.faxlan.engine.t4.Compression;
import dev.faxlan.engine.t30.Modem;
import java.util.EnumSet;
import java.util.Set;

/**
 * Settings of one fax call.
 *
 * @param ident our TSI (sending) or CSI (receiving), up to 20 characters
 * @param subaddress T.30 SUB sent with DCS (sending), or null
 * @param fastestModem where rate negotiation starts
 * @param ecm whether to offer/use error correction mode
 * @param codings the codings we accept or may choose
 * @param senderId T.30 SID sent with DCS when the receiver asks for passwords (sending), or null
 */
public record FaxOptions(String ident, String subaddress, Modem fastestModem, boolean ecm, Set<Compression> codings, String senderId) {
    public FaxOptions {
        codings = Set.copyOf(codings);
    }

    public static FaxOptions defaults(String ident) {
        return new FaxOptions(ident, null, Modem.V17_14400, false, EnumSet.of(Compression.MH, Compression.MR), null);
    }

    public FaxOptions withCodings(Set<Compression> c) {
        return new FaxOptions(ident, subaddress, fastestModem, ecm, c, senderId);
    }

    public FaxOptions withSubaddress(String sub) {
        return new FaxOptions(ident, sub, fastestModem, ecm, codings, senderId);
    }

    public FaxOptions withEcm(boolean on) {
        return new FaxOptions(ident, subaddress, fastestModem, on, codings, senderId);
    }

    public FaxOptions withSenderId(String sid) {
        return new FaxOptions(ident, subaddress, fastestModem, ecm, codings, sid);
    }

    public FaxOptions withFastestModem(Modem m) {
        return new FaxOptions(ident, subaddress, m, ecm, codings, senderId);
    }

    /**
     * These options for an attempt after {@code t30Failures} attempts that failed in T.30, stepped down
     * as field practice recommends: after one, at most 9,600 bit/s on V.29 (the rate and modem every
     * gateway carries); after two or more, also without ECM (some far ends break in ECM's phase D).
     */
    public FaxOptions steppedDown(int t30Failures) {
        FaxOptions o = this;
        if (t30Failures >= 1 && fastestModem.ordinal() < Modem.V29_9600.ordinal()) o = o.withFastestModem(Modem.V29_9600);
        if (t30Failures >= 2) o = o.withEcm(false);
        return o;
    }
}
