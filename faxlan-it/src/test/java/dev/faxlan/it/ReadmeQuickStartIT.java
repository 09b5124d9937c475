package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.lines.LinesConfig;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.awt.image.BufferedImage;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start, as written: a server started with its {@code faxlan.properties} (the
 * number plan and the loopback line's numbers), then every {@code submit} and {@code phonebook add}
 * of "Send and follow faxes" run as a user would, each accepted and sent or scheduled.
 */
class ReadmeQuickStartIT {
    static final String ADMIN_PW = "readme-admin-pw-1";
    static final Path README = Path.of("..", "README.md");
    @TempDir
    Path dir;

    @Test
    void theSendExamplesWorkOnAServerStartedWithTheQuickStartConfig() throws Exception {
        String readme = Files.readString(README);
        Properties quickStart = new Properties();
        quickStart.load(new StringReader(block(readme, "properties", "line.loopback.dids")));
        LinesConfig lines = LinesConfig.parse(quickStart);
        try (FaxlanServer server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("readme").withAdminPassword(ADMIN_PW).withLines(lines))) {
            Map<String, String> env = new HashMap<>();
            env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
            env.put("FAXLAN_SERVER", "127.0.0.1:" + server.port());
            env.put("FAXLAN_USER", "admin");
            env.put("FAXLAN_PASSWORD", ADMIN_PW);

            List<List<String>> commands = new ArrayList<>();
            for (String line : section(readme, "## Send and follow faxes").lines().toList()) {
                List<String> words = words(line);
                if (words.size() < 2 || !words.get(0).equals("bin/faxlan")) continue;
                if (words.get(1).equals("submit") || (words.get(1).equals("phonebook") && words.get(2).equals("add"))) {
                    commands.add(words.subList(1, words.size()));
                }
            }
            assertThat(commands).as("submit and phonebook examples in the README").hasSizeGreaterThanOrEqualTo(3);

            List<Long> jobs = new ArrayList<>();
            for (List<String> args : commands) {
                for (String a : args) {
                    if (a.endsWith(".pdf")) pdf(dir.resolve(a));
                    if (a.endsWith(".png")) png(dir.resolve(a));
                    if (a.endsWith(".txt")) Files.writeString(dir.resolve(a), "A memo for the README's example.\n");
                }
                List<String> absolute = args.stream().map(a -> a.matches("[\\w-]+\\.(pdf|png|txt)") ? dir.resolve(a).toString() : a).toList();
                Cli.Result r = Cli.run(env, absolute.toArray(String[]::new));
                assertThat(r.exitCode()).as("faxlan %s: %s", String.join(" ", args), r).isZero();
                if (args.get(0).equals("submit")) r.out().strip().lines().forEach(line -> jobs.add(Long.parseLong(line.strip().split("\\s+")[0]))); // "ID" or, with --wait, "ID STATE"
            }

            try (FaxlanClient c = FaxlanClient.builder().server(server.address()).user("admin").password(ADMIN_PW.toCharArray())
                    .timeout(Duration.ofSeconds(20)).build()) {
                Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> jobs.stream().map(c::job).allMatch(j -> j.finished() || j.reason() != null && j.reason().startsWith("scheduled for")));
                for (long id : jobs) {
                    Job j = c.job(id);
                    assertThat(j.state()).as("job %d to %s: %s", id, j.to(), j.reason()).isIn("done", "queued");
                    if (j.state().equals("queued")) assertThat(j.reason()).startsWith("scheduled for");
                }
                assertThat(jobs.stream().map(c::job).filter(j -> j.state().equals("done"))).as("faxes sent now").hasSizeGreaterThanOrEqualTo(3);
            }
        }
    }

    /** The first fenced block of {@code lang} containing {@code marker}. */
    static String block(String markdown, String lang, String marker) {
        Matcher m = Pattern.compile("```" + lang + "\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            if (m.group(1).contains(marker)) return m.group(1);
        }
        throw new AssertionError("no ```" + lang + " block with " + marker + " in the README");
    }

    /** The text of a section, from its heading to the next one of the same level. */
    static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertThat(start).as("README section %s", heading).isNotNegative();
        int end = markdown.indexOf("\n## ", start + heading.length() + 1);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    /** A shell line split into words: single and double quotes, a comment after unquoted whitespace. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    w.append(ch);
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                if (w == null) w = new StringBuilder();
            } else if (Character.isWhitespace(ch)) {
                if (w != null) words.add(w.toString());
                w = null;
            } else if (ch == '#' && w == null) {
                break;
            } else {
                if (w == null) w = new StringBuilder();
                w.append(ch);
            }
        }
        if (w != null) words.add(w.toString());
        return words;
    }

    private static void pdf(Path file) throws Exception {
        if (Files.exists(file)) return;
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.beginText();
                cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 14);
                cs.newLineAtOffset(72, 700);
                cs.showText(file.getFileName().toString());
                cs.endText();
            }
            doc.save(file.toFile());
        }
    }

    private static void png(Path file) throws Exception {
        if (Files.exists(file)) return;
        BufferedImage img = new BufferedImage(400, 300, BufferedImage.TYPE_BYTE_BINARY);
        var g = img.createGraphics();
        g.fillRect(0, 0, 400, 300);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }
}
