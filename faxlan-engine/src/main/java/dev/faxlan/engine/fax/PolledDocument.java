package dev.faxlan.engine.fax;

import dev.faxlan.engine.t30.Identity;

/**
 * A document an answering terminal holds for polling: its DIS then says "ready to transmit", and a
 * caller's DTC (or a DIS in its place) makes it the sender of these pages. A caller that does not
 * give the password, or names another document, gets DCN.
 *
 * @param pages what is sent to the poller
 * @param password the PWD a poller must send, or null for none
 * @param selectiveAddress the SEP a poller must send, or null: then any poller gets the document
 */
public record PolledDocument(OutgoingPages pages, String password, String selectiveAddress) {
    public PolledDocument {
        if (pages == null || pages.count() < 1) throw new IllegalArgumentException("a document held for polling needs at least one page");
    }

    /** Whether a poller that sent {@code pwd} and {@code sep} (each null when not sent) may have it; null when so, else why not. */
    FaxResult refusal(String pwd, String sep) {
        if (password != null && !onWire(password).equals(pwd)) return FaxResult.POLL_PASSWORD_REFUSED;
        if (selectiveAddress != null && !onWire(selectiveAddress).equals(sep)) return FaxResult.POLL_ADDRESS_REFUSED;
        return null;
    }

    /** {@code text} as a received PWD or SEP reads: at most 20 characters, padding trimmed. */
    private static String onWire(String text) {
        return Identity.decode(Identity.encode(text));
    }
}
