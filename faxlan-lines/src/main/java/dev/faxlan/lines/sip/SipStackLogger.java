package dev.faxlan.lines.sip;

import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes JAIN-SIP's own logging to SLF4J under one name ({@code gov.nist.javax.sip}), at warning level
 * and above unless debug is enabled there; its default logger names each stack separately and reports
 * TLS settings we do not use as warnings.
 */
public final class SipStackLogger implements StackLogger {
    private static final Logger log = LoggerFactory.getLogger("gov.nist.javax.sip");

    @Override
    public void logStackTrace() {}

    @Override
    public void logStackTrace(int traceLevel) {}

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable ex) {
        log.warn("SIP stack exception", ex);
    }

    @Override
    public void logDebug(String message) {
        log.debug(message);
    }

    @Override
    public void logDebug(String message, Exception ex) {
        log.debug(message, ex);
    }

    @Override
    public void logTrace(String message) {
        log.trace(message);
    }

    @Override
    public void logFatalError(String message) {
        log.error(message);
    }

    @Override
    public void logError(String message) {
        log.error(message);
    }

    @Override
    public boolean isLoggingEnabled() {
        return log.isDebugEnabled();
    }

    @Override
    public boolean isLoggingEnabled(int logLevel) {
        return logLevel <= TRACE_ERROR ? log.isErrorEnabled() : logLevel <= TRACE_WARN ? log.isWarnEnabled() : log.isDebugEnabled();
    }

    @Override
    public void logError(String message, Exception ex) {
        log.error(message, ex);
    }

    @Override
    public void logWarning(String message) {
        // The stack warns about TLS defaults on every start; nothing here uses TLS.
        if (message != null && (message.contains("TLS") || message.contains("tls") || message.contains("keystore") || message.contains("truststore"))) {
            log.debug(message);
        } else {
            log.warn(message);
        }
    }

    @Override
    public void logInfo(String message) {
        log.debug(message);
    }

    @Override
    public void disableLogging() {}

    @Override
    public void enableLogging() {}

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {}

    @Override
    public void setStackProperties(Properties stackProperties) {}

    @Override
    public String getLoggerName() {
        return "gov.nist.javax.sip";
    }
}
