package dev.faxlan.web.api;

import dev.faxlan.protocol.message.JobMessage;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import dev.faxlan.web.api.Views.JobList;
import dev.faxlan.web.api.Views.Submitted;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The outgoing faxes: {@code /api/v1/faxes}, sending, listing, one job, cancelling and its pages as pictures. */
final class FaxEndpoints {
    private static final Set<String> RESOLUTIONS = Set.of("standard", "fine", "superfine");
    /** Width of a page picture: the fax page's 1728 pels, so a page shows as faxed, pel for pel across. */
    static final int PAGE_WIDTH = 1728;

    private final ApiCaller caller;
    private final MultipartLimits multipart;
    private final Path dataDir;

    FaxEndpoints(ApiCaller caller, MultipartLimits multipart, Path dataDir) {
        this.caller = caller;
        this.multipart = multipart;
        this.dataDir = dataDir;
    }

    void addTo(ApiRoutes api, Javalin app) {
        api.add(app, Endpoint.post("/faxes").summary("Send a fax: one job per recipient")
                .description("Multipart form: `to` once per recipient (a number or a phonebook name), `file` parts in the order of the pages. "
                        + "The documents are checked as the server will read them before anything is sent.")
                .header(Idempotency.HEADER, false, "a repeat with the same key and body answers the first result and makes no other job")
                .formField("to", String.class, true, true, "a recipient: a fax number or a phonebook name")
                .formField("file", byte[].class, true, true, "a document (PDF, TIFF, text, image, PostScript or office), in order")
                .formField("subject", String.class, false, false, "the subject, on the cover page and in the job list")
                .formField("cover", String.class, false, false, "a cover page's name (GET /covers)")
                .formField("comment", String.class, false, false, "the cover page's comment")
                .formField("resolution", String.class, false, false, "standard, fine (the default) or superfine")
                .formField("priority", Integer.class, false, false, "0 to 9, higher first (default 5)")
                .formField("send_at", Instant.class, false, false, "the earliest time to send, ISO 8601 (default: now)")
                .responds(201, Submitted.class).errors(400, 413, 415, 422).handle(this::submit));
        api.add(app, Endpoint.get("/faxes").summary("The user's jobs, newest first")
                .query("limit", Integer.class, false, "jobs per page, 1 to " + Paging.MAX_LIMIT + " (default " + Paging.DEFAULT_LIMIT + ")")
                .query("cursor", String.class, false, "the next value of the previous page")
                .query("finished", Boolean.class, false, "whether to include finished jobs (default true)")
                .responds(200, JobList.class).errors(400).handle(this::list));
        api.add(app, Endpoint.get("/faxes/{id}").summary("One job with its state").pathId("id", "the job's id")
                .responds(200, Views.Job.class).errors(404).handle(ctx -> ctx.json(Views.Job.of(caller.with(ctx, c -> c.job(id(ctx)))))));
        api.add(app, Endpoint.delete("/faxes/{id}").summary("Cancel a job that has not finished").pathId("id", "the job's id")
                .responds(200, Views.Job.class).errors(404, 409).handle(ctx -> ctx.json(Views.Job.of(caller.with(ctx, c -> c.cancel(id(ctx)))))));
        api.add(app, Endpoint.get("/faxes/{id}/pages/{n}.png").summary("Page n of a job as it is faxed, a grayscale PNG")
                .pathId("id", "the job's id").pathParam("n", Integer.class, "the page, from 1")
                .query("width", Integer.class, false, "pixels across, 16 to " + PAGE_WIDTH + " (default " + PAGE_WIDTH + ")")
                .respondsBytes(200, "image/png").errors(400, 404).handle(this::page));
    }

    private void list(Context ctx) {
        String finished = ctx.queryParam("finished");
        if (finished != null && !finished.equals("true") && !finished.equals("false")) throw ApiProblem.badRequest("finished must be true or false");
        List<Job> jobs = caller.with(ctx, c -> c.jobs(!"false".equals(finished)));
        Paging<Job> page = Paging.of(ctx, jobs, j -> new long[] {-j.id()});
        ctx.json(new JobList(page.items().stream().map(Views.Job::of).toList(), page.next()));
    }

    private void submit(Context ctx) {
        List<String> to = multipart.fields(ctx, "to").stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (to.isEmpty()) throw ApiProblem.badRequest("no recipient: give a field to for each number or phonebook name");
        String subject = multipart.field(ctx, "subject");
        String cover = multipart.field(ctx, "cover");
        String comment = multipart.field(ctx, "comment");
        if (comment != null && cover == null) throw ApiProblem.badRequest("comment fills a cover page: give cover too");
        String resolution = multipart.field(ctx, "resolution");
        if (resolution != null && !RESOLUTIONS.contains(resolution)) throw ApiProblem.badRequest("resolution must be standard, fine or superfine");
        Long priority = priority(multipart.field(ctx, "priority"));
        Long at = sendAt(multipart.field(ctx, "send_at"));
        byte[] key = Idempotency.cpiKey(ctx, "submit");
        FaxlanClient client = caller.client(ctx);
        try (FaxUpload upload = FaxUpload.of(ctx, multipart, dataDir)) {
            List<String> hashes = new ArrayList<>();
            for (Path doc : upload.documents()) hashes.add(client.upload(doc, bytes -> {}));
            Map<String, Object> fields = comment == null ? null : new LinkedHashMap<>(Map.of("comment", comment));
            JobMessage.Submit submit = new JobMessage.Submit(to, hashes, subject, cover, resolution, at, priority, fields, null);
            List<JobMessage.Job> jobs = Idempotency.call(client, submit, key).jobs();
            ctx.status(201).json(new Submitted(jobs.stream().map(j -> Views.Job.of(job(client, j.id()))).toList()));
        }
    }

    /** A job as the SDK reads it (the submit's answer is the wire form; one get gives the full view). */
    private static Job job(FaxlanClient client, long id) {
        return client.job(id);
    }

    private void page(Context ctx) {
        int n = positive(ctx.pathParam("n"), "page");
        String w = ctx.queryParam("width");
        int width = w == null ? PAGE_WIDTH : positive(w, "width");
        if (width < 16 || width > PAGE_WIDTH) throw ApiProblem.badRequest("width must be 16 to " + PAGE_WIDTH);
        FaxlanClient.Thumbnail t = caller.with(ctx, c -> c.thumbnail(id(ctx), width, n));
        ctx.contentType("image/png").result(t.png());
    }

    static long id(Context ctx) {
        String v = ctx.pathParam("id");
        try {
            long id = Long.parseLong(v);
            if (id > 0) return id;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.notFound("no such object: " + v + " is not an id");
    }

    private static int positive(String v, String what) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.badRequest(what + " must be a number from 1, not " + v);
    }

    private static Long priority(String v) {
        if (v == null) return null;
        try {
            int p = Integer.parseInt(v);
            if (p >= 0 && p <= 9) return (long) p;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.badRequest("priority must be 0 to 9, not " + v);
    }

    private static Long sendAt(String v) {
        if (v == null) return null;
        try {
            return Instant.parse(v).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest("send_at must be an ISO 8601 time such as 2026-01-31T09:00:00Z, not " + v);
        }
    }
}
