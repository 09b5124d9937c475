package dev.faxlan.protocol.message;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The field tables of docs/protocol.md, made from the typed messages so the document cannot drift
 * from the wire. {@code main} rewrites the part of the document between {@link #BEGIN} and {@link #END}.
 */
public final class ProtocolTables {
    public static final String BEGIN = "<!-- begin: generated from dev.faxlan.protocol.message by ProtocolTables; do not edit by hand -->";
    public static final String END = "<!-- end: generated -->";

    private ProtocolTables() {}

    /** The generated part of the document, without the markers. */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("""
                Each body's fields in the order a sender writes them, with their CBOR types; fields marked
                *optional* may be absent, all others are always present. Ids of jobs, faxes, routes and contacts
                are integers; ids of uploads and submissions are hex text; times are integers (milliseconds since
                the epoch).

                | op | request body | response body |
                |---|---|---|
                """);
        List<Class<? extends Record>> maps = new ArrayList<>();
        for (Operations.Binding b : Operations.all()) {
            out.append("| `").append(b.op().wire()).append("` | ").append(fields(b.request(), maps)).append(" | ")
                    .append(fields(b.reply(), maps)).append(" |\n");
        }
        out.append("\n| map | fields |\n|---|---|\n");
        for (int i = 0; i < maps.size(); i++) {
            Class<? extends Record> m = maps.get(i);
            out.append("| ").append(mapName(m)).append(" | ").append(fields(m, maps)).append(" |\n");
        }
        return out.toString();
    }

    private static String fields(Class<? extends Record> type, List<Class<? extends Record>> maps) {
        List<MessageCodec.FieldSpec> fields = MessageCodec.fields(type);
        if (fields.isEmpty()) return "—";
        StringJoiner j = new StringJoiner(", ");
        for (MessageCodec.FieldSpec f : fields) {
            String t = switch (f.kind()) {
                case RECORD -> mapName(f.record()) + " map";
                case RECORD_LIST -> "array of " + mapName(f.record()) + " maps";
                case BOOLEAN -> "bool";
                case INTEGER -> "integer";
                case BYTES -> "bytes";
                default -> f.kind().wire();
            };
            if (f.record() != null && !maps.contains(f.record())) maps.add(f.record());
            j.add("`" + f.name() + "` " + t + (f.required() ? "" : " *optional*"));
        }
        return j.toString();
    }

    private static String mapName(Class<? extends Record> type) {
        return type.getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** The document with its generated part made anew. */
    public static String rewrite(String document) {
        int b = document.indexOf(BEGIN);
        int e = document.indexOf(END);
        if (b < 0 || e < b) throw new IllegalArgumentException("the document has no " + BEGIN + " … " + END + " section");
        return document.substring(0, b + BEGIN.length()) + "\n" + markdown() + document.substring(e);
    }

    /** Rewrites the generated part of the document at {@code args[0]} (docs/protocol.md). */
    public static void main(String[] args) throws IOException {
        Path doc = Path.of(args.length > 0 ? args[0] : "docs/protocol.md");
        Files.writeString(doc, rewrite(Files.readString(doc, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }
}
