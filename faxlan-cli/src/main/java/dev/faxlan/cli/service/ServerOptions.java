package dev.faxlan.cli.service;

import dev.faxlan.protocol.Fingerprint;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import picocli.CommandLine.Option;

/** The fax server a service command works through: {@code --server} and {@code --pin}, the same in every service command. */
public final class ServerOptions {
    @Option(names = "--server", required = true, paramLabel = "HOST[:PORT]", description = "the fax server (default port 4644)")
    String server;

    @Option(names = "--pin", paramLabel = "FINGERPRINT", description = "the fax server's identity (default: trust the first one seen)")
    String pin;

    /** The fax server to connect to and the identity it must show (null: trust the first one seen). */
    public record Target(InetSocketAddress address, byte[] fingerprint) {
    }

    /** {@code --server} and {@code --pin}, checked; null, after one line on {@code err}, when either is wrong. */
    public Target resolve(int minPort, PrintWriter err) {
        try {
            return new Target(address(minPort), fingerprint());
        } catch (IllegalArgumentException e) {
            err.println("faxlan: " + e.getMessage());
            return null;
        }
    }

    /** {@code --server} as an address; port 4644 when it names none. */
    public InetSocketAddress address(int minPort) {
        return ServiceCommand.address(server, 4644, minPort, "--server");
    }

    /** {@code --pin}, or null to trust the first identity seen. */
    public byte[] fingerprint() {
        return pin == null ? null : Fingerprint.parse(pin);
    }
}
