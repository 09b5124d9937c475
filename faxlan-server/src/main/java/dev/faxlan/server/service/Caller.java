package dev.faxlan.server.service;

/** The authenticated user behind a request, and the client address it came from (null when not known). */
public record Caller(long userId, String name, String role, String address) {
    public Caller(long userId, String name, String role) {
        this(userId, name, role, null);
    }

    public boolean isAdmin() {
        return "admin".equals(role);
    }

    /**
     * May submit jobs owned by another account: administrators, and gateway accounts (a mail gateway
     * faxing for senders it vouches for, without their passwords). Otherwise a gateway is a plain user.
     */
    public boolean maySubmitForOthers() {
        return isAdmin() || "gateway".equals(role);
    }

    /** The same caller, seen at {@code clientAddress}. */
    public Caller at(String clientAddress) {
        return new Caller(userId, name, role, clientAddress);
    }
}
