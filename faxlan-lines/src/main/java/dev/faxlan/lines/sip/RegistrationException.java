package dev.faxlan.lines.sip;

/** Why registering failed; {@link #credentialsRefused()} tells a wrong password from a network problem. */
public final class RegistrationException extends RuntimeException {
    private final boolean credentialsRefused;

    RegistrationException(String message, boolean credentialsRefused) {
        super(message);
        this.credentialsRefused = credentialsRefused;
    }

    /** True when the registrar refused the credentials we gave: retrying with the same password cannot help. */
    public boolean credentialsRefused() {
        return credentialsRefused;
    }
}
