package dev.faxlan.web;

import dev.faxlan.cli.settings.InvalidSettings;
import dev.faxlan.cli.settings.SettingsReader;
import dev.faxlan.web.webhook.WebhookSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The settings of {@code faxlan web}, from its properties file (docs/web.md); every one has a default.
 *
 * @param dataDirectory where the process keeps its own state (its TLS identity, webhooks and their delivery log)
 * @param maxUploadBytes the largest request body accepted, an upload of documents above all
 * @param sessionIdle how long a browser session lives without a request
 * @param serverTimeout how long a CPI call may take before the web answers that the server is unreachable
 * @param tlsCertificate the HTTPS certificate chain (PEM), null for a self-signed one (or plain HTTP on loopback)
 * @param tlsKey the HTTPS certificate's private key (PEM), given with {@code tlsCertificate}
 * @param webhooks retries, allowed addresses and the delivery log of webhooks
 */
public record WebSettings(Path dataDirectory, long maxUploadBytes, Duration sessionIdle, Duration serverTimeout, Path tlsCertificate, Path tlsKey,
        WebhookSettings webhooks) {
    static final List<String> KEYS = List.of("data.dir", "max.upload.mib", "session.idle.minutes", "server.timeout.seconds", "tls.certificate",
            "tls.key");

    public WebSettings(Path dataDirectory, long maxUploadBytes, Duration sessionIdle, Duration serverTimeout) {
        this(dataDirectory, maxUploadBytes, sessionIdle, serverTimeout, null, null, WebhookSettings.defaults());
    }

    /** The settings in {@code p}; file names are relative to {@code base}. */
    public static WebSettings parse(Properties p, Path base) throws InvalidSettings {
        List<String> problems = new ArrayList<>();
        SettingsReader r = new SettingsReader(p, problems);
        r.rejectUnknownKeys(KEYS, WebhookSettings.KEYS);
        Path data = base.resolve(p.getProperty("data.dir", "faxlan-web").strip());
        int maxUploadMiB = r.number("max.upload.mib", 100, 1, 4096);
        int idle = r.number("session.idle.minutes", 30, 1, 7 * 24 * 60);
        int timeout = r.number("server.timeout.seconds", 10, 1, 600);
        String cert = p.getProperty("tls.certificate");
        String key = p.getProperty("tls.key");
        if ((cert == null) != (key == null)) problems.add("tls.certificate and tls.key go together: give both PEM files, or neither for a self-signed certificate");
        WebhookSettings webhooks = WebhookSettings.parse(p, r, problems);
        if (!problems.isEmpty()) throw new InvalidSettings(problems);
        return new WebSettings(data, (long) maxUploadMiB << 20, Duration.ofMinutes(idle), Duration.ofSeconds(timeout),
                cert == null ? null : base.resolve(cert.strip()), key == null ? null : base.resolve(key.strip()), webhooks);
    }
}
