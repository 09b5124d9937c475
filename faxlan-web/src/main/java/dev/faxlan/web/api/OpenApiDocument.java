package dev.faxlan.web.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The OpenAPI 3.1 document of the declared endpoints, made from their {@link Endpoint} values and the
 * record classes they answer with (each record a schema under {@code components/schemas}, one property
 * per component, as Jackson writes it).
 */
final class OpenApiDocument {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode doc = JSON.createObjectNode();
    private final ObjectNode schemas;

    private OpenApiDocument(String version) {
        doc.put("openapi", "3.1.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "faxlan REST API");
        info.put("version", version);
        info.put("description", "Send and receive faxes through a faxlan server. Every request but this document needs "
                + "`Authorization: Bearer <key>` with an API key of a faxlan user (`faxlan apikey create`); it acts as that user.");
        doc.putArray("servers").addObject().put("url", ApiRoutes.BASE);
        ObjectNode components = doc.putObject("components");
        components.putObject("securitySchemes").putObject("apiKey").put("type", "http").put("scheme", "bearer")
                .put("description", "An API key of a faxlan user");
        schemas = components.putObject("schemas");
        ObjectNode problem = schemas.putObject("Problem");
        problem.put("type", "object").put("description", "RFC 9457 problem details; `code` is the CPI error code when the fax server refused");
        ObjectNode props = problem.putObject("properties");
        props.putObject("type").put("type", "string");
        props.putObject("title").put("type", "string");
        props.putObject("status").put("type", "integer");
        props.putObject("detail").put("type", "string");
        props.putObject("code").put("type", "string");
        problem.putArray("required").add("type").add("title").add("status");
    }

    static ObjectNode of(Collection<Endpoint> endpoints, String version) {
        OpenApiDocument d = new OpenApiDocument(version);
        ObjectNode paths = d.doc.putObject("paths");
        for (Endpoint e : endpoints) {
            ObjectNode path = paths.has(e.path()) ? (ObjectNode) paths.get(e.path()) : paths.putObject(e.path());
            path.set(e.method().name().toLowerCase(Locale.ROOT), d.operation(e));
        }
        return d.doc;
    }

    private ObjectNode operation(Endpoint e) {
        ObjectNode op = JSON.createObjectNode();
        op.put("operationId", e.operationId());
        op.put("summary", e.summary());
        if (e.description() != null) op.put("description", e.description());
        op.putArray("tags").add(e.path().split("/")[1]);
        if (!e.authenticated()) op.putArray("security");
        else op.putArray("security").addObject().putArray("apiKey");
        if (!e.params().isEmpty()) {
            ArrayNode params = op.putArray("parameters");
            for (Endpoint.Param p : e.params()) {
                ObjectNode param = params.addObject();
                param.put("name", p.name()).put("in", p.in().name().toLowerCase(Locale.ROOT)).put("required", p.required());
                if (p.description() != null) param.put("description", p.description());
                param.set("schema", schema(p.type(), false));
            }
        }
        if (e.jsonBody() != null) {
            ObjectNode body = op.putObject("requestBody").put("required", true);
            body.putObject("content").putObject("application/json").set("schema", schema(e.jsonBody(), false));
        } else if (!e.multipart().isEmpty()) {
            ObjectNode form = JSON.createObjectNode().put("type", "object");
            ObjectNode props = form.putObject("properties");
            ArrayNode required = JSON.createArrayNode();
            for (Endpoint.Param p : e.multipart()) {
                ObjectNode s = schema(p.type(), false);
                if (p.repeated()) s = JSON.createObjectNode().put("type", "array").set("items", s);
                if (p.description() != null) s.put("description", p.description());
                props.set(p.name(), s);
                if (p.required()) required.add(p.name());
            }
            if (!required.isEmpty()) form.set("required", required);
            ObjectNode body = op.putObject("requestBody").put("required", true);
            body.putObject("content").putObject("multipart/form-data").set("schema", form);
        }
        ObjectNode responses = op.putObject("responses");
        ObjectNode ok = responses.putObject(Integer.toString(e.status()));
        ok.put("description", e.status() == 204 ? "done" : "success");
        if (!e.mediaTypes().isEmpty()) {
            ObjectNode content = ok.putObject("content");
            for (String type : e.mediaTypes()) content.putObject(type).putObject("schema").put("type", "string").put("contentMediaType", type);
        } else if (e.response() != null) {
            ok.putObject("content").putObject("application/json").set("schema", schema(e.response(), false));
        }
        TreeSet<Integer> errors = new TreeSet<>(e.errors());
        if (e.authenticated()) errors.add(401);
        errors.add(500);
        errors.add(503);
        for (int status : errors) {
            ObjectNode r = responses.putObject(Integer.toString(status));
            r.put("description", describe(status));
            r.putObject("content").putObject(ApiProblem.MEDIA_TYPE).putObject("schema").put("$ref", "#/components/schemas/Problem");
        }
        return op;
    }

    private static String describe(int status) {
        return switch (status) {
            case 400 -> "the request is malformed or a value is invalid";
            case 401 -> "no API key, or a wrong or revoked one";
            case 403 -> "the key's user may not do this";
            case 404 -> "no such object, or one this user may not see";
            case 409 -> "the object is in a state that does not allow this";
            case 413 -> "the request is larger than the configured limit";
            case 415 -> "the request's media type is not the one expected";
            case 422 -> "the Idempotency-Key was used with another request";
            case 429 -> "too many requests";
            case 500 -> "the web process failed unexpectedly";
            case 503 -> "the fax server is unreachable or busy";
            default -> "a problem";
        };
    }

    /** The JSON schema of a Java type; records become named schemas referenced by {@code $ref}. */
    private ObjectNode schema(Type type, boolean nullable) {
        ObjectNode s = JSON.createObjectNode();
        if (type instanceof ParameterizedType pt && pt.getRawType() instanceof Class<?> raw) {
            Type[] args = pt.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                s.put("type", "array").set("items", schema(args[0], false));
            } else if (Map.class.isAssignableFrom(raw)) {
                s.put("type", "object").set("additionalProperties", schema(args[1], false));
            } else {
                throw new IllegalArgumentException("no schema for " + type);
            }
            return nullable ? orNull(s) : s;
        }
        Class<?> c = (Class<?>) type;
        if (c.isRecord()) {
            String name = c.getSimpleName();
            if (!schemas.has(name)) describeRecord(c);
            s.put("$ref", "#/components/schemas/" + name);
            return nullable ? orNull(s) : s;
        }
        String json;
        if (c == String.class) {
            json = "string";
        } else if (c == long.class || c == Long.class) {
            json = "integer";
            s.put("format", "int64");
        } else if (c == int.class || c == Integer.class) {
            json = "integer";
            s.put("format", "int32");
        } else if (c == boolean.class || c == Boolean.class) {
            json = "boolean";
        } else if (c == double.class || c == Double.class) {
            json = "number";
        } else if (c == Instant.class) {
            json = "string";
            s.put("format", "date-time");
        } else if (c == byte[].class) {
            json = "string";
            s.put("contentMediaType", "application/octet-stream");
        } else if (c.isEnum()) {
            json = "string";
            ArrayNode values = s.putArray("enum");
            for (Object v : c.getEnumConstants()) values.add(v.toString());
        } else {
            throw new IllegalArgumentException("no schema for " + c.getName());
        }
        if (nullable && !c.isPrimitive()) s.putArray("type").add(json).add("null");
        else s.put("type", json);
        if (nullable && s.has("enum")) ((ArrayNode) s.get("enum")).addNull();
        return s;
    }

    private void describeRecord(Class<?> c) {
        ObjectNode r = schemas.putObject(c.getSimpleName()); // put first: a record that refers to itself ends here
        r.put("type", "object");
        ObjectNode props = r.putObject("properties");
        ArrayNode required = r.putArray("required");
        for (RecordComponent rc : c.getRecordComponents()) {
            Type t = rc.getGenericType();
            boolean optional = rc.isAnnotationPresent(Nullable.class);
            props.set(rc.getName(), schema(t, optional));
            required.add(rc.getName());
        }
        ApiDoc doc = c.getAnnotation(ApiDoc.class);
        if (doc != null) r.put("description", doc.value());
    }

    private static ObjectNode orNull(ObjectNode s) {
        ObjectNode any = JSON.createObjectNode();
        any.putArray("oneOf").add(s).addObject().put("type", "null");
        return any;
    }
}
