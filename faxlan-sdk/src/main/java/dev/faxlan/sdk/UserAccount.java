package dev.faxlan.sdk;

/** A user account as listed by the server. */
public record UserAccount(String name, String role, long created) {}
