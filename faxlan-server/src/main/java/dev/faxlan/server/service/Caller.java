package dev.faxlan.server.service;

/** The authenticated user behind a request. */
public record Caller(long userId, String name, String role) {
    public boolean isAdmin() {
        return "admin".equals(role);
    }
}
