package dev.faxlan.web.api;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One REST endpoint as declared: what {@link ApiRoutes} routes and what the OpenAPI document says of
 * it, from the same values, so the document cannot drift from the code. Made with {@link #get} and
 * its siblings, then {@link Builder#handle}:
 *
 * <pre>{@code
 * api.add(app, Endpoint.get("/faxes/{id}").summary("One job with its state").pathId("id", "the job")
 *         .responds(200, JobView.class).errors(404).handle(ctx -> ctx.json(...)));
 * }</pre>
 *
 * @param path below {@link ApiRoutes#BASE}, with {@code {name}} path parameters as OpenAPI writes them
 * @param status the status of a success
 * @param response the JSON body of a success (a record class, or a parameterized type), null when {@code mediaTypes} or none
 * @param mediaTypes the media types of a binary success (a picture, a document); empty for JSON
 * @param errors the statuses of the problems this endpoint answers besides 401, 500 and 503 (every endpoint may)
 * @param authenticated whether it needs a bearer key (all but the document itself)
 */
public record Endpoint(HandlerType method, String path, String summary, String description, List<Param> params, Type jsonBody,
        List<Param> multipart, int status, Type response, List<String> mediaTypes, List<Integer> errors, boolean authenticated, Handler handler) {

    /** Where a parameter is: the path, the query string, a header, or a multipart form field. */
    public enum In { PATH, QUERY, HEADER, FORM }

    /**
     * A parameter.
     *
     * @param type its Java type: String, Long, Integer, Boolean, an enum, or byte[] for a file part
     * @param repeated whether it may appear more than once (a list)
     */
    public record Param(String name, In in, Type type, boolean required, boolean repeated, String description) {}

    public static Builder get(String path) {
        return new Builder(HandlerType.GET, path);
    }

    public static Builder post(String path) {
        return new Builder(HandlerType.POST, path);
    }

    public static Builder put(String path) {
        return new Builder(HandlerType.PUT, path);
    }

    public static Builder delete(String path) {
        return new Builder(HandlerType.DELETE, path);
    }

    /** The endpoint's operationId in the document: method and path in camel case, e.g. {@code getFaxesIdPagesN}. */
    public String operationId() {
        StringBuilder b = new StringBuilder(method.name().toLowerCase(java.util.Locale.ROOT));
        for (String word : path.split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) b.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return b.toString();
    }

    public static final class Builder {
        private final HandlerType method;
        private final String path;
        private String summary = "";
        private String description;
        private final List<Param> params = new ArrayList<>();
        private Type jsonBody;
        private final List<Param> multipart = new ArrayList<>();
        private int status = 200;
        private Type response;
        private List<String> mediaTypes = List.of();
        private final List<Integer> errors = new ArrayList<>();
        private boolean authenticated = true;

        private Builder(HandlerType method, String path) {
            this.method = method;
            this.path = path;
        }

        public Builder summary(String summary) {
            this.summary = summary;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** A numeric id in the path ({@code {name}}). */
        public Builder pathId(String name, String description) {
            params.add(new Param(name, In.PATH, Long.class, true, false, description));
            return this;
        }

        public Builder pathParam(String name, Type type, String description) {
            params.add(new Param(name, In.PATH, type, true, false, description));
            return this;
        }

        public Builder query(String name, Type type, boolean required, String description) {
            params.add(new Param(name, In.QUERY, type, required, false, description));
            return this;
        }

        public Builder header(String name, boolean required, String description) {
            params.add(new Param(name, In.HEADER, String.class, required, false, description));
            return this;
        }

        /** The request body is JSON of this type (a record class). */
        public Builder jsonBody(Type type) {
            this.jsonBody = type;
            return this;
        }

        /** A field of a {@code multipart/form-data} body; type byte[] for a file part. */
        public Builder formField(String name, Type type, boolean required, boolean repeated, String description) {
            multipart.add(new Param(name, In.FORM, type, required, repeated, description));
            return this;
        }

        /** A success answers {@code status} with JSON of {@code type} (null: no body). */
        public Builder responds(int status, Type type) {
            this.status = status;
            this.response = type;
            return this;
        }

        /** A success answers {@code status} with bytes of one of {@code mediaTypes}. */
        public Builder respondsBytes(int status, String... mediaTypes) {
            this.status = status;
            this.mediaTypes = List.of(mediaTypes);
            return this;
        }

        /** The problem statuses this endpoint answers besides 401, 500 and 503. */
        public Builder errors(Integer... statuses) {
            errors.addAll(List.of(statuses));
            return this;
        }

        /** Needs no bearer key. */
        public Builder open() {
            this.authenticated = false;
            return this;
        }

        public Endpoint handle(Handler handler) {
            return new Endpoint(method, path, summary, description, List.copyOf(params), jsonBody, List.copyOf(multipart), status, response,
                    mediaTypes, List.copyOf(errors), authenticated, Objects.requireNonNull(handler));
        }
    }
}
