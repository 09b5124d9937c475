package dev.faxlan.web.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Locale;

/** A JSON request body read into its record; a malformed one, or one with unknown members, is a 400 problem naming what is wrong. */
final class JsonBodies {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();

    private JsonBodies() {}

    static <T> T required(Context ctx, Class<T> type) {
        T body = optional(ctx, type);
        if (body == null) throw ApiProblem.badRequest("this request needs a JSON body (" + type.getSimpleName() + " in " + ApiRoutes.DOCUMENT + ")");
        return body;
    }

    /** The body, or null when the request has none. */
    static <T> T optional(Context ctx, Class<T> type) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) return null;
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ApiProblem(415, "Unsupported media type", "the body must be application/json, not " + contentType, "UNSUPPORTED_MEDIA_TYPE");
        }
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw ApiProblem.badRequest("the JSON body is not a " + type.getSimpleName() + ": " + why);
        }
    }
}
