package dev.faxlan.engine.tsb85;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A TSB-85 procedure as our scenario files write it: the tester's steps against faxlan (the device
 * under test). One file per group, {@code tsb85/GROUP.tsb85}; the format is in {@code tsb85/README}.
 *
 * @param skip why the procedure is not run, or null
 * @param known per transport ("audio", "t38"), why faxlan is known not to pass it yet: the run goes on, and
 *     the procedure is reported as failing with that reason (or fails the test once it passes)
 */
record Scenario(String group, String name, String about, String skip, Map<String, String> known, List<String> steps) {

    static List<Scenario> load(String group) throws IOException {
        String text;
        try (InputStream in = Scenario.class.getResourceAsStream("/tsb85/" + group + ".tsb85")) {
            if (in == null) throw new IOException("no scenario file tsb85/" + group + ".tsb85");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Scenario> out = new ArrayList<>();
        String name = null;
        String about = "";
        String skip = null;
        Map<String, String> known = new HashMap<>();
        List<String> steps = new ArrayList<>();
        for (String raw : text.lines().toList()) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty()) continue;
            String[] w = line.split("\\s+", 2);
            switch (w[0]) {
                case "procedure" -> {
                    if (name != null) out.add(new Scenario(group, name, about, skip, known, steps));
                    name = w[1];
                    about = "";
                    skip = null;
                    known = new HashMap<>();
                    steps = new ArrayList<>();
                }
                case "about" -> about = w[1];
                case "skip" -> skip = w[1];
                case "known" -> {
                    // known [audio|t38] REASON: without a transport, on both
                    String[] k = w[1].split("\\s+", 2);
                    if (k[0].equals("audio") || k[0].equals("t38")) known.put(k[0], k[1]);
                    else {
                        known.put("audio", w[1]);
                        known.put("t38", w[1]);
                    }
                }
                default -> {
                    if (name == null) throw new IOException("tsb85/" + group + ".tsb85: step before the first procedure: " + line);
                    steps.add(line);
                }
            }
        }
        if (name != null) out.add(new Scenario(group, name, about, skip, known, steps));
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
