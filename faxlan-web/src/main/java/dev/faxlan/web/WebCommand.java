package dev.faxlan.web;

import dev.faxlan.cli.service.ServerOptions;
import dev.faxlan.cli.service.ServiceCommand;
import dev.faxlan.web.cpi.UserClients;
import dev.faxlan.web.tls.WebTls;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code faxlan web}: the web FaxMain, the REST API under /api/v1 and webhooks (docs/web.md). */
@Command(name = "web", mixinStandardHelpOptions = true,
        description = "Serve the web FaxMain, the REST API under /api/v1 and webhooks, as a client of the fax server:"
                + " each browser session and API key acts as its own faxlan user.")
public final class WebCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--listen", defaultValue = "127.0.0.1:8080", paramLabel = "ADDR:PORT",
            description = "HTTP address to listen on (default ${DEFAULT-VALUE}; port 0: any free port, printed)")
    String listen;

    @Option(names = "--config", paramLabel = "FILE", description = "properties: data.dir, max.upload.mib, session.idle.minutes,"
            + " server.timeout.seconds, tls.certificate, tls.key, webhook.retry.hours, webhook.retry.first.seconds, webhook.allow.private,"
            + " webhook.log.days, webhook.queue.events (docs/web.md; files are named relative to FILE's directory)")
    Path config;

    @Mixin
    ServerOptions serverOptions;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Path base = config == null ? Path.of("") : config.toAbsolutePath().getParent();
        WebSettings settings = ServiceCommand.readConfig(config, "web", p -> WebSettings.parse(p, base), err);
        if (settings == null) return ServiceCommand.BAD_CONFIG;
        InetSocketAddress listenAddress;
        try {
            listenAddress = ServiceCommand.address(listen, -1, 0, "--listen");
        } catch (IllegalArgumentException e) {
            err.println("faxlan: " + e.getMessage());
            return ServiceCommand.BAD_CONFIG;
        }
        ServerOptions.Target target = serverOptions.resolve(0, err);
        if (target == null) return ServiceCommand.BAD_CONFIG;
        WebTls tls;
        try {
            tls = WebTls.forListen(settings.tlsCertificate(), settings.tlsKey(), settings.dataDirectory(), listenAddress);
        } catch (WebTls.Unusable e) {
            err.println("faxlan: " + e.getMessage());
            return ServiceCommand.BAD_CONFIG;
        }
        UserClients clients = new UserClients(target.address(), target.fingerprint(), settings.serverTimeout());
        WebApp app;
        try {
            app = WebApp.start(settings, listenAddress, clients, tls);
        } catch (RuntimeException e) {
            // Listening, or a part before it (the webhook database another process holds): the message says which.
            err.println("faxlan: cannot start faxlan web on " + listen + ": " + e.getMessage());
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (tls != null) {
            // Users pin this, as they pin the fax server's identity: a self-signed certificate is vouched for by nothing else.
            out.println("faxlan web certificate" + (tls.made() ? " (new, self-signed)" : "") + " SHA-256 fingerprint " + tls.fingerprint());
            out.println("faxlan web public key pin (curl --pinnedpubkey) " + tls.publicKeyPin());
        }
        out.println("faxlan web listening on " + app.scheme() + "://" + listenAddress.getAddress().getHostAddress() + ":" + app.port() + "/");
        out.flush();
        return ServiceCommand.runUntilStopped(app::close);
    }
}
