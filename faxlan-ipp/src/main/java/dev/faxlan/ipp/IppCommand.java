package dev.faxlan.ipp;

import dev.faxlan.cli.service.ServerOptions;
import dev.faxlan.cli.service.ServiceCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code faxlan ipp}: print to fax over IPP FaxOut (docs/print-to-fax.md). */
@Command(name = "ipp", mixinStandardHelpOptions = true,
        description = "Serve IPP FaxOut at /ipp/faxout as a client of the fax server: each IPP job becomes fax jobs"
                + " of the user who logs in with HTTP Basic authentication, one per tel: destination.")
public final class IppCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--listen", defaultValue = "127.0.0.1:8631", paramLabel = "ADDR:PORT",
            description = "loopback address to listen on (default ${DEFAULT-VALUE}; port 0: any free port, printed)")
    String listen;

    @Option(names = "--name", defaultValue = "faxlan fax", paramLabel = "NAME", description = "the printer name clients show (default ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--location", defaultValue = "", paramLabel = "TEXT", description = "where the printer is, as clients show it")
    String location;

    @Option(names = "--max-document-mib", defaultValue = "64", paramLabel = "MIB", description = "largest document accepted (default ${DEFAULT-VALUE})")
    int maxDocumentMib;

    @Option(names = "--server-timeout-seconds", defaultValue = "30", paramLabel = "S",
            description = "how long to wait for the fax server on each call (default ${DEFAULT-VALUE})")
    int serverTimeoutSeconds;

    @Mixin
    ServerOptions serverOptions;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        InetSocketAddress listenAddress;
        try {
            listenAddress = ServiceCommand.address(listen, -1, 0, "--listen");
            if (maxDocumentMib < 1 || maxDocumentMib > 4096) throw new IllegalArgumentException("--max-document-mib must be from 1 to 4096");
            if (serverTimeoutSeconds < 1) throw new IllegalArgumentException("--server-timeout-seconds must be at least 1");
        } catch (IllegalArgumentException e) {
            err.println("faxlan: " + e.getMessage());
            return ServiceCommand.BAD_CONFIG;
        }
        ServerOptions.Target target = serverOptions.resolve(0, err);
        if (target == null) return ServiceCommand.BAD_CONFIG;
        Callers callers = new Callers(target.address(), target.fingerprint(), Duration.ofSeconds(serverTimeoutSeconds));
        IppService service;
        try {
            service = IppService.start(listenAddress, callers, name, location, maxDocumentMib * 1024L * 1024L);
        } catch (IllegalArgumentException e) {
            err.println("faxlan: " + e.getMessage());
            return ServiceCommand.BAD_CONFIG;
        } catch (IOException | RuntimeException e) {
            err.println("faxlan: cannot start faxlan ipp on " + listen + ": " + e.getMessage());
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("faxlan ipp listening on ipp://" + listenAddress.getAddress().getHostAddress() + ":" + service.port() + IppService.PATH);
        out.flush();
        return ServiceCommand.runUntilStopped(service::close);
    }
}
