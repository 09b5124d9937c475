package dev.faxlan.engine.fax;

/**
 * What a calling terminal that polls asks for (T.30 polling: it calls, hears the called terminal's DIS
 * say "ready to transmit", sends DTC and receives the document). Each field goes in its own frame
 * before DTC, and only when the called terminal's DIS says it understands it.
 *
 * @param password sent as PWD when the DIS has the password bit (50), or null
 * @param selectiveAddress sent as SEP, naming the document wanted, when the DIS has the selective
 *     polling bit (47), or null
 */
public record PollRequest(String password, String selectiveAddress) {
    /** Polls for whatever the called terminal holds, with no password. */
    public static PollRequest any() {
        return new PollRequest(null, null);
    }
}
