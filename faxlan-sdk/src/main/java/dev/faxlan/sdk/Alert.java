package dev.faxlan.sdk;

import java.util.Map;

/** One entry of the user's event log, delivered by a subscription in sequence order. */
public record Alert(long seq, String type, long timeMillis, Map<String, Object> body) {}
