package dev.faxlan.it.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Scrapes a Prometheus text endpoint over HTTP and reads its samples: {@code name{a="x",b="y"}} to value. */
final class Prometheus {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Prometheus() {}

    static String scrapeText(URI metrics) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(metrics).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new AssertionError("GET " + metrics + ": " + r.statusCode() + " " + r.body());
        if (!r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain")) throw new AssertionError("not the text format: " + r.headers());
        return r.body();
    }

    /** Samples by name and labels in a fixed order, e.g. {@code faxlan_calls_total{outcome="success"}}. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) throw new AssertionError("not a Prometheus sample line: " + line);
            Map<String, String> labels = new TreeMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) labels.put(l.group(1), l.group(2));
            }
            samples.put(key(m.group(1), labels), Double.parseDouble(m.group(4)));
        }
        return samples;
    }

    static Map<String, Double> scrape(URI metrics) throws IOException, InterruptedException {
        return parse(scrapeText(metrics));
    }

    static String key(String name, Map<String, String> labels) {
        StringBuilder b = new StringBuilder(name);
        if (!labels.isEmpty()) {
            b.append('{');
            new TreeMap<>(labels).forEach((k, v) -> b.append(k).append("=\"").append(v).append("\","));
            b.setCharAt(b.length() - 1, '}');
        }
        return b.toString();
    }

    /** The sample's value, 0 when the endpoint does not (yet) show it. */
    static double value(Map<String, Double> samples, String name, String... labelPairs) {
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) labels.put(labelPairs[i], labelPairs[i + 1]);
        return samples.getOrDefault(key(name, labels), 0.0);
    }
}
