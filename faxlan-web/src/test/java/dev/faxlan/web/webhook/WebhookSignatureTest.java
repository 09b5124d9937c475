package dev.faxlan.web.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.function.Function;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookSignatureTest {
    static final byte[] BODY = "{\"id\":\"3-17\",\"type\":\"fax.sent\"}".getBytes(StandardCharsets.UTF_8);

    /** A vector made with Python's hmac module: HMAC-SHA256 keyed with the secret's text over "1700000000." and the body. */
    @Test
    void aSignatureIsTheHmacOfTimestampDotBodyUnderTheSecretsText() {
        assertThat(WebhookSignature.sign("whsec_test", "1700000000", BODY))
                .isEqualTo("v1=cf9197be7d4e664100c3e64c60bfa4490a97f39a44f591ccd7c9fde0b5ae9648");
    }

    @Test
    void verifyAcceptsTheSignatureAndRefusesEveryChange() {
        String secret = WebhookSignature.newSecret();
        String sig = WebhookSignature.sign(secret, "1700000000", BODY);
        assertThat(WebhookSignature.verify(secret, "1700000000", BODY, sig)).isTrue();
        assertThat(WebhookSignature.verify(secret, "1700000001", BODY, sig)).as("another timestamp").isFalse();
        byte[] changed = BODY.clone();
        changed[5] ^= 1;
        assertThat(WebhookSignature.verify(secret, "1700000000", changed, sig)).as("another body").isFalse();
        assertThat(WebhookSignature.verify(WebhookSignature.newSecret(), "1700000000", BODY, sig)).as("another secret").isFalse();
        assertThat(WebhookSignature.verify(secret, "1700000000", BODY, "v2=" + sig.substring(3))).as("another scheme").isFalse();
        assertThat(WebhookSignature.verify(secret, "1700000000", BODY, "v1=zz, " + sig)).as("a later valid one counts").isTrue();
        assertThat(WebhookSignature.verify(secret, "1700000000", BODY, "")).isFalse();
    }

    @Test
    void secretsAreNewEachTimeAndCarryTheirPrefix() {
        String a = WebhookSignature.newSecret();
        assertThat(a).startsWith("whsec_").hasSize(6 + 43).isNotEqualTo(WebhookSignature.newSecret());
    }

    /** The Python verification in docs/web.md, run by Debian's python3 on a signature made here. */
    @Test
    void theDocumentedPythonSnippetVerifiesOurSignatures(@TempDir Path dir) throws Exception {
        String python = documentedSnippet("python");
        Path script = dir.resolve("verify.py");
        String secret = WebhookSignature.newSecret();
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String sig = WebhookSignature.sign(secret, timestamp, BODY);
        Files.writeString(script, python + "\n"
                + "import sys\n"
                + "body = sys.stdin.buffer.read()\n"
                + "headers = {'Faxlan-Timestamp': sys.argv[1], 'Faxlan-Signature': sys.argv[2]}\n"
                + "print('valid' if verify(os.environ['FAXLAN_WEBHOOK_SECRET'], headers, body) else 'invalid')\n");
        assertThat(runPython(script, secret, timestamp, sig, BODY)).isEqualTo("valid");
        byte[] changed = BODY.clone();
        changed[0] = ' ';
        assertThat(runPython(script, secret, timestamp, sig, changed)).isEqualTo("invalid");
        String old = Long.toString(System.currentTimeMillis() / 1000 - 3600);
        assertThat(runPython(script, secret, old, WebhookSignature.sign(secret, old, BODY), BODY)).as("an hour old").isEqualTo("invalid");
    }

    /** The Java verification in docs/web.md, compiled by the JDK's compiler, on signatures made here. */
    @Test
    void theDocumentedJavaSnippetVerifiesOurSignatures(@TempDir Path dir) throws Exception {
        String snippet = documentedSnippet("java");
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : snippet.lines().toList()) (line.startsWith("import ") ? imports : body).append(line).append('\n');
        Path source = dir.resolve("DocVerify.java");
        Files.writeString(source, imports + "public class DocVerify {\npublic " + body + "}\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, "-d", dir.toString(), source.toString())).as("the snippet compiles").isZero();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()})) {
            Method verify = loader.loadClass("DocVerify").getMethod("verify", String.class, Function.class, byte[].class);
            String secret = WebhookSignature.newSecret();
            String now = Long.toString(System.currentTimeMillis() / 1000);
            String sig = WebhookSignature.sign(secret, now, BODY);
            assertThat(verify.invoke(null, secret, headers(now, sig), BODY)).isEqualTo(true);
            assertThat(verify.invoke(null, secret, headers(now, "v0=1, " + sig), BODY)).isEqualTo(true);
            assertThat(verify.invoke(null, "whsec_other", headers(now, sig), BODY)).isEqualTo(false);
            assertThat(verify.invoke(null, secret, headers(now, sig), "{}".getBytes(StandardCharsets.UTF_8))).isEqualTo(false);
            String old = Long.toString(System.currentTimeMillis() / 1000 - 3600);
            assertThat(verify.invoke(null, secret, headers(old, WebhookSignature.sign(secret, old, BODY)), BODY)).as("an hour old").isEqualTo(false);
        }
    }

    static Function<String, String> headers(String timestamp, String signature) {
        return Map.of("Faxlan-Timestamp", timestamp, "Faxlan-Signature", signature)::get;
    }

    static String documentedSnippet(String language) throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "web.md"));
        Matcher m = Pattern.compile("<!-- webhook-verify -->\\s*```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(m.find()).as("docs/web.md has a %s block after <!-- webhook-verify -->", language).isTrue();
        return m.group(1);
    }

    static String runPython(Path script, String secret, String timestamp, String sig, byte[] body) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("python3", script.toString(), timestamp, sig).redirectErrorStream(true);
        pb.environment().put("FAXLAN_WEBHOOK_SECRET", secret);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            String reason = "python3 is not installed: " + e.getMessage();
            if ("true".equals(System.getenv("CI"))) Assertions.fail(reason + " (CI=true: the documented snippet must be checked)");
            Assumptions.abort(reason);
            throw e;
        }
        try (var in = p.getOutputStream()) {
            in.write(body);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
