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
 */
public record SipAccount(String user, String authUser, String password, String domain, boolean register, int expires) {
    @Override
    public String toString() {
        return "SipAccount[" + authUser + "@" + domain + ", register=" + register + "]";
    }
}
