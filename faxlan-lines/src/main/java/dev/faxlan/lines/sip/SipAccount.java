package dev.faxlan.lines.sip;

/**
 * Credentials and registration of a trunk account. The password is held for digest answers only and
 * never printed.
 *
 * @param user the user part of our address of record (often the trunk's number)
 * @param authUser the digest user name (usually {@code user})
 * @param domain the SIP domain of the address of record and of dialled numbers
 * @param register whether to REGISTER (a trunk that routes to a fixed address needs none)
 * @param expires registration lifetime asked for, in seconds
 * @param realm the only digest realm the password answers; null to take the realm of the registrar's
 *     challenge to our REGISTER; a challenge for any other realm is refused (docs/lines.md)
 */
public record SipAccount(String user, String authUser, String password, String domain, boolean register, int expires, String realm) {
    /** An account that learns its realm from the registrar. */
    public SipAccount(String user, String authUser, String password, String domain, boolean register, int expires) {
        this(user, authUser, password, domain, register, expires, null);
    }

    @Override
    public String toString() {
        return "SipAccount[" + authUser + "@" + domain + ", register=" + register + (realm != null ? ", realm=" + realm : "") + "]";
    }
}
