package dev.faxlan.sdk;

/** What a server says about itself. {@code fingerprint} is the SHA-256 of its certificate. */
public record ServerInfo(String name, String version, int protocol, long timeMillis, byte[] fingerprint) {}
