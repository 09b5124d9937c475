package dev.faxlan.cli;

import dev.faxlan.documents.convert.ConvertOptions;
import dev.faxlan.documents.convert.DocumentFormat;
import dev.faxlan.documents.convert.Documents;
import dev.faxlan.documents.WorkDirectories;
import dev.faxlan.documents.convert.PageSource;
import dev.faxlan.documents.convert.TextEncoding;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.JobState;
import dev.faxlan.sdk.SubmitRequest;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, name = "submit", description = "Send documents as a fax to one or more numbers; prints the job id(s).")
final class SubmitCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--to", required = true, paramLabel = "NUMBER", description = "recipient fax number (repeatable)")
    List<String> to;

    @Option(names = "--cover", paramLabel = "NAME", description = "cover page template")
    String cover;

    @Option(names = "--subject", paramLabel = "S", description = "subject (cover page and job list)")
    String subject;

    @Option(names = "--at", paramLabel = "TIME", description = "send no earlier than TIME: ISO instant, YYYY-MM-DDTHH:MM, or HH:MM (next occurrence)")
    String at;

    @Option(names = "--resolution", paramLabel = "standard|fine|superfine", description = "(default: fine)")
    String resolution;

    @Option(names = "--priority", paramLabel = "0-9", defaultValue = "5", description = "higher goes out first among due jobs (default: 5)")
    int priority;

    @Option(names = "--comment", paramLabel = "TEXT", description = "the cover page's comment (\\n starts a new line)")
    String comment;

    @Option(names = "--field", paramLabel = "NAME=VALUE", description = "a cover page field (repeatable): to, to_company, urgent, ... (docs/cover-pages.md)")
    List<String> fields = new ArrayList<>();

    @Option(names = "--charset", paramLabel = "NAME",
            description = "encoding of plain-text files, e.g. windows-1252, ISO-8859-15, UTF-16LE; default: detected by the server")
    String charset;

    @Option(names = "--wait", description = "wait until every job has finished, showing on stderr each state change it sees (read every half second); exit 1 if any failed")
    boolean await;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "documents to send, in order")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        for (Path f : files) {
            InputFiles.checkReadable(f);
            if (!Files.isReadable(f)) throw new FaxlanException("cannot read " + f, 2);
        }
        if (resolution != null && !List.of("standard", "fine", "superfine").contains(resolution)) {
            throw new FaxlanException("--resolution must be standard, fine or superfine", 2);
        }
        if (priority < 0 || priority > 9) throw new FaxlanException("--priority must be 0 to 9, not " + priority, 2);
        Charset textCharset = null;
        if (charset != null) {
            try {
                textCharset = ConvertOptions.charset(charset);
            } catch (IllegalArgumentException e) {
                throw new FaxlanException("--charset: " + e.getMessage(), 2);
            }
        }
        for (Path f : files) checkDocument(f, resolution, textCharset);
        Map<String, String> coverFields = ConvertCommand.parseFields(fields);
        if (comment != null) coverFields.put("comment", comment.replace("\\n", "\n"));
        if (!coverFields.isEmpty() && cover == null) throw new FaxlanException("--field and --comment fill a cover page: add --cover NAME", 2);
        Path recoded = textCharset == null ? null : Files.createTempDirectory("faxlan-submit");
        try {
            List<Path> upload = recoded == null ? files : inUtf8(files, textCharset, recoded);
            return submit(new SubmitRequest(to, upload, subject, cover, resolution, parseAt(at), priority, coverFields));
        } finally {
            if (recoded != null) WorkDirectories.delete(recoded);
        }
    }

    private int submit(SubmitRequest req) throws Exception {
        List<Path> files = req.documents();
        List<Job> jobs;
        try (FaxlanClient c = client.connect()) {
            long total = 0;
            for (Path f : files) total += Files.size(f);
            boolean bar = !client.json && System.console() != null && total > (1 << 20);
            try (ProgressBar pb = bar ? new ProgressBarBuilder().setTaskName("upload").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" MB", 1 << 20).build() : null) {
                long[] done = new long[files.size()];
                jobs = c.submit(req, (file, bytes) -> {
                    if (pb == null) return;
                    synchronized (done) {
                        done[files.indexOf(file)] = bytes;
                        long sum = 0;
                        for (long d : done) sum += d;
                        pb.stepTo(sum);
                    }
                });
            }
            if (await) jobs = waitFor(c, jobs, client.json);
        }
        if (client.json) {
            JobsCommand.LISTING.print(jobs, true);
        } else {
            for (Job j : jobs) System.out.println(await ? j.id() + " " + j.state() + (j.reason() != null ? " (" + j.reason() + ")" : "") : String.valueOf(j.id()));
        }
        return await && jobs.stream().anyMatch(j -> j.status() != JobState.DONE) ? 1 : 0;
    }

    /**
     * The documents to upload: each plain-text file re-encoded from {@code cs} to UTF-8 (with a byte
     * order mark, so it cannot be taken for anything else) under its own name in {@code dir}, the
     * rest as they are. Done here rather than sent as an option, so any server reads it right.
     */
    static List<Path> inUtf8(List<Path> files, Charset cs, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            if (Documents.formatOf(f) != DocumentFormat.TEXT) {
                out.add(f);
                continue;
            }
            String text = TextEncoding.decode(Files.readAllBytes(f), cs);
            Path copy = Files.createDirectories(dir.resolve(Integer.toString(i))).resolve(f.getFileName().toString());
            Files.writeString(copy, text.startsWith("\uFEFF") ? text : "\uFEFF" + text, StandardCharsets.UTF_8);
            if (Files.size(copy) > Documents.MAX_TEXT_BYTES) {
                // UTF-8 takes two bytes for each accented letter: a file near the limit can cross it.
                throw new FaxlanException(f + ": " + Files.size(copy) + " bytes in UTF-8 is more than the " + Documents.MAX_TEXT_BYTES
                        + "-byte limit for text; split it into several files; nothing was sent", 1);
            }
            out.add(copy);
        }
        return out;
    }

    static void checkDocument(Path file, String resolution) {
        checkDocument(file, resolution, null);
    }

    /**
     * Opens {@code file} as the server will before faxing it (format, readable, page count), without
     * rendering its pages, so a file that cannot be faxed is refused before anything is uploaded.
     * PostScript and office documents need the server's Ghostscript or LibreOffice: only their
     * format is checked here. The server checks every document again.
     */
    static void checkDocument(Path file, String resolution, Charset textCharset) {
        try {
            DocumentFormat kind = Documents.formatOf(file);
            if (kind == DocumentFormat.POSTSCRIPT || kind == DocumentFormat.OFFICE) return;
            ConvertOptions options = ConvertOptions.of(Resolution.parse(resolution == null ? "fine" : resolution), PageSize.A4)
                    .withTextCharset(textCharset);
            try (PageSource doc = Documents.open(file, options)) {
                doc.pageCount();
            }
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replaceAll("[\\r\\n]+", " ").replaceAll("[.\\s]+$", "");
            // The file is named, whichever reader complained; exit 1: the request was fine, the file is not.
            throw new FaxlanException((why.contains(String.valueOf(file.getFileName())) ? why : file + ": " + why) + "; nothing was sent", 1, e);
        }
    }

    /** Polls the jobs until all have finished; each state change is shown on stderr as it is seen (not in --json mode). */
    private static List<Job> waitFor(FaxlanClient c, List<Job> jobs, boolean json) throws InterruptedException {
        List<Job> current = new ArrayList<>(jobs);
        if (!json) for (Job j : current) System.err.println(change(j));
        while (current.stream().anyMatch(j -> !j.finished())) {
            Thread.sleep(500);
            for (int i = 0; i < current.size(); i++) {
                if (current.get(i).finished()) continue;
                Job now = c.job(current.get(i).id());
                if (!json && !now.state().equals(current.get(i).state())) System.err.println(change(now));
                current.set(i, now);
            }
        }
        return current;
    }

    private static String change(Job j) {
        return "job " + j.id() + ": " + j.state() + (j.reason() != null && !j.reason().isEmpty() ? " (" + j.reason() + ")" : "");
    }

    static Instant parseAt(String s) {
        if (s == null) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException ignored) {
            // not an instant: try local forms
        }
        try {
            return LocalDateTime.parse(s).atZone(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException ignored) {
            // not a local date-time
        }
        try {
            LocalTime t = LocalTime.parse(s);
            LocalDateTime when = LocalDate.now().atTime(t);
            if (when.isBefore(LocalDateTime.now())) when = when.plusDays(1);
            return when.atZone(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException e) {
            throw new FaxlanException("--at: cannot read \"" + s + "\" as a time (use 2026-12-24T18:00, HH:MM or an ISO instant)", 2);
        }
    }
}
