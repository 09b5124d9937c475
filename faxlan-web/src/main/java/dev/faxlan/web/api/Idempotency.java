package dev.faxlan.web.api;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.message.CpiRequest;
import dev.faxlan.protocol.message.MessageCodec;
import dev.faxlan.protocol.message.Operations;
import dev.faxlan.sdk.FaxlanClient;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The {@code Idempotency-Key} header of a POST made into the CPI idempotency key of the call it
 * makes. The fax server keeps its keys per user and remembers each call's answer, so a repeat with the
 * same header and body gets the first answer (the same job), even across a restart of either process,
 * and the same header with another body is refused (IDEMPOTENCY_KEY_REUSED, 422). The web process
 * keeps no state of its own for it.
 */
public final class Idempotency {
    public static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 255;

    private Idempotency() {}

    /** The CPI key for the request's header and {@code scope} (what the call is: one header may serve several calls), or null without a header. */
    public static byte[] cpiKey(Context ctx, String scope) {
        String header = ctx.header(HEADER);
        if (header == null) return null;
        if (header.isEmpty() || header.length() > MAX_LENGTH || !header.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw ApiProblem.badRequest(HEADER + " must be 1 to " + MAX_LENGTH + " visible ASCII characters");
        }
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(("faxlan web api " + scope + "\n" + header).getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(md.digest(), 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Calls {@code request} under {@code key} (a fresh key per call when null, as the SDK does). */
    public static <R extends Record> R call(FaxlanClient client, CpiRequest<R> request, byte[] key) {
        if (key == null) return client.call(request);
        Fields reply = client.call(Operations.op(request), MessageCodec.encode((Record) request), key);
        try {
            return Operations.reply(request, reply);
        } catch (CpiException e) {
            throw new ApiProblem(502, "Fax server failure", "unexpected answer from the fax server: " + e.getMessage(), "INTERNAL");
        }
    }
}
