package dev.faxlan.launcher;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import org.slf4j.LoggerFactory;

/** The server's log output: text lines by default, one JSON object per line on request (logback.xml's JSON appender). */
final class LogFormat {
    /** The system property logback.xml reads to pick its appender. */
    static final String PROPERTY = "faxlan.logformat";

    private LogFormat() {}

    /** Switches logging to JSON lines: logback is configured again with the JSON appender. */
    static void useJson() {
        if ("JSON".equals(System.getProperty(PROPERTY))) return;
        System.setProperty(PROPERTY, "JSON");
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        try {
            new ContextInitializer(context).autoConfig();
        } catch (Exception e) {
            throw new IllegalStateException("cannot switch the logs to JSON: " + e.getMessage(), e);
        }
    }
}
