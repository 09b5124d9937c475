package dev.faxlan.ipp;

import com.hp.jipp.encoding.IppInputStream;
import com.hp.jipp.encoding.IppPacket;
import dev.faxlan.sdk.FaxlanException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code faxlan ipp}: IPP over HTTP at {@value #PATH} (and each job's URI below it), on Javalin as
 * {@code faxlan web} is. Requests that act for a user need HTTP Basic authentication with a faxlan
 * account; plain HTTP is served on loopback only, where no one else can read the password.
 */
public final class IppService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IppService.class);
    public static final String PATH = "/ipp/faxout";
    /** The attribute groups of one request, before its document: far more than any client sends. */
    static final int MAX_ATTRIBUTE_BYTES = 256 * 1024;
    private static final String IPP = "application/ipp";

    private final Javalin javalin;
    private final Callers callers;
    private final Path spool;

    private IppService(Javalin javalin, Callers callers, Path spool) {
        this.javalin = javalin;
        this.callers = callers;
        this.spool = spool;
    }

    /** Starts serving on {@code listen} (port 0: any free port, see {@link #port()}). */
    public static IppService start(InetSocketAddress listen, Callers callers, String printerName, String location, long maxDocumentBytes) throws IOException {
        if (!listen.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("IPP without TLS listens on loopback only (passwords travel in HTTP Basic), not "
                    + listen.getAddress().getHostAddress() + "; see docs/print-to-fax.md");
        }
        Path spool = Files.createTempDirectory("faxlan-ipp");
        FaxOutPrinter printer = new FaxOutPrinter(printerName, location, spool, maxDocumentBytes, false, Clock.systemUTC());
        Javalin javalin = Javalin.create(config -> config.showJavalinBanner = false);
        javalin.post(PATH, ctx -> serve(ctx, printer, callers));
        javalin.post(PATH + "/{job}", ctx -> serve(ctx, printer, callers));
        javalin.start(listen.getAddress().getHostAddress(), listen.getPort());
        log.info("faxlan ipp listening on {}:{} for fax server {}", listen.getAddress().getHostAddress(), javalin.port(), callers.server());
        return new IppService(javalin, callers, spool);
    }

    public int port() {
        return javalin.port();
    }

    private static void serve(Context ctx, FaxOutPrinter printer, Callers callers) throws IOException {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(IPP)) {
            ctx.status(415).result("IPP requests are POSTs of " + IPP);
            return;
        }
        Decoded decoded = decode(ctx.req().getInputStream());
        if (decoded.request() == null) {
            log.debug("malformed IPP request from {}: {}", ctx.ip(), decoded.problem());
            answer(ctx, FaxOutPrinter.malformed(decoded.problem()));
            return;
        }
        IppPacket request = decoded.request();
        InputStream body = decoded.document();
        FaxAccount account = null;
        if (FaxOutPrinter.needsUser(request.getCode())) {
            account = authenticate(ctx, callers);
            if (account == null) return;
        }
        answer(ctx, printer.handle(request, body, printerUri(ctx), account));
    }

    /** A request's attributes and the stream of its document, or (request null) why it cannot be decoded. */
    record Decoded(IppPacket request, InputStream document, String problem) {}

    /** The IPP request at the start of {@code in}; its attribute groups may be at most {@link #MAX_ATTRIBUTE_BYTES} long. */
    static Decoded decode(InputStream in) {
        Limited body = new Limited(in, MAX_ATTRIBUTE_BYTES);
        try {
            IppPacket request = new IppInputStream(body).readPacket();
            body.unlimit();
            return new Decoded(request, body, null);
        } catch (IOException | RuntimeException e) {
            // JIPP's decoder fails with IOExceptions and Kotlin runtime exceptions alike on broken input.
            return new Decoded(null, null, body.exceeded() ? "attributes longer than " + MAX_ATTRIBUTE_BYTES + " bytes"
                    : "it ends early or has a value that cannot be decoded (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The caller's account; null after answering 401 (no or wrong credentials) or 503 (fax server silent). */
    private static FaxAccount authenticate(Context ctx, Callers callers) {
        String header = ctx.header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String pair;
            try {
                pair = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                pair = "";
            }
            int colon = pair.indexOf(':');
            if (colon > 0) {
                try {
                    return callers.login(pair.substring(0, colon), pair.substring(colon + 1).toCharArray());
                } catch (FaxlanException.AuthenticationFailed e) {
                    log.info("IPP login of {} from {} refused", pair.substring(0, colon), ctx.ip());
                } catch (FaxlanException e) {
                    log.warn("IPP login of {}: fax server: {}", pair.substring(0, colon), e.getMessage());
                    ctx.status(503).result("the fax server does not answer: " + e.getMessage());
                    return null;
                }
            }
        }
        ctx.header("WWW-Authenticate", "Basic realm=\"faxlan\", charset=\"UTF-8\"");
        ctx.status(401).result("log in with your faxlan user name and password");
        return null;
    }

    private static URI printerUri(Context ctx) {
        String host = ctx.host();
        if (host == null || host.isBlank() || !host.matches("[A-Za-z0-9.\\-:\\[\\]%]+")) host = "localhost";
        return URI.create("ipp://" + host + PATH);
    }

    private static void answer(Context ctx, IppPacket response) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        response.write(out);
        ctx.status(200).contentType(IPP).result(out.toByteArray());
    }

    @Override
    public void close() {
        javalin.stop();
        callers.close();
        try (var files = Files.list(spool)) {
            for (Path p : files.toList()) Files.deleteIfExists(p);
            Files.deleteIfExists(spool);
        } catch (IOException e) {
            log.warn("cannot remove the IPP spool directory: {}", e.getMessage());
        }
    }

    /** Reads at most a limit until told otherwise, so that a request's attributes cannot fill the memory. */
    static final class Limited extends FilterInputStream {
        private long left;
        private boolean exceeded;

        Limited(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        boolean exceeded() {
            return exceeded;
        }

        void unlimit() {
            left = Long.MAX_VALUE;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) throw tooLong();
            int b = super.read();
            if (b >= 0) left--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (left <= 0) throw tooLong();
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) left -= n;
            return n;
        }

        private IOException tooLong() {
            exceeded = true;
            return new IOException("request attributes too long");
        }
    }
}
