package dev.faxlan.mail.fax;

/**
 * Why a mail was not faxed, in SMTP's terms so that every gateway answers alike: the SMTP gateway
 * replies with it, the mailbox poller writes it into its reply. A 4xx code means "try again later"
 * (nothing was made); a 5xx code means the mail will never be faxed as it is.
 *
 * @param code the SMTP reply code (451, 554, ...)
 * @param text the enhanced status code and the reason, as in {@code 5.6.1 attachment a.zip cannot be faxed: ...}
 */
public final class MailRefusal extends Exception {
    private final int code;
    private final String text;

    public MailRefusal(int code, String text) {
        super(code + " " + text, null, false, false);
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    public String text() {
        return text;
    }

    /** 4xx: the fault is passing (the fax server unreachable), the same mail may succeed later. */
    public boolean temporary() {
        return code >= 400 && code < 500;
    }
}
