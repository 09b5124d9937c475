package dev.faxlan.server.core.job;

import dev.faxlan.documents.convert.ConvertOptions;
import dev.faxlan.documents.convert.DocumentConverter;
import dev.faxlan.documents.cover.CoverPage;
import dev.faxlan.documents.cover.CoverTemplateParser;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.documents.view.FaxViewer;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.server.core.Problem;
import dev.faxlan.server.core.ProblemException;
import dev.faxlan.server.core.cover.CoverService;
import dev.faxlan.server.core.port.DocumentStore;
import dev.faxlan.server.service.Caller;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.JobDetails;
import dev.faxlan.server.storage.Jobs;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A page of a job as it is faxed, page 1 unless asked, as a picture ({@code job.thumbnail}): for
 * transmission reports, previews and the REST API's page pictures. Whoever may see the job may see it; its documents never leave the server,
 * only the picture. Rendered from the job's documents each time, as the sender renders them.
 */
public final class JobThumbnails {
    /** The picture's width when the request gives none, and the bounds of one it gives. */
    public static final int DEFAULT_WIDTH = 300;
    public static final int MIN_WIDTH = 16;
    public static final int MAX_WIDTH = 1728;

    private final JobService jobs;
    private final Database db;
    private final DocumentStore documents;
    private final Clock clock;

    public record Thumbnail(long job, int pageWidth, int pageHeight, byte[] png) {}

    public JobThumbnails(JobService jobs, Database db, DocumentStore documents, Clock clock) {
        this.jobs = jobs;
        this.db = db;
        this.documents = documents;
        this.clock = clock;
    }

    public Thumbnail of(Caller caller, long id, Integer width) throws SQLException {
        return of(caller, id, width, 1);
    }

    /** Page {@code n} (from 1, the cover page first) of job {@code id}; NOT_FOUND past the fax's last page. */
    public Thumbnail of(Caller caller, long id, Integer width, int n) throws SQLException {
        int w = width == null ? DEFAULT_WIDTH : width;
        if (n < 1) throw new ProblemException(Problem.INVALID, "page must be 1 or more, not " + n);
        if (w < MIN_WIDTH || w > MAX_WIDTH) throw new ProblemException(Problem.INVALID, "width must be " + MIN_WIDTH + " to " + MAX_WIDTH + ", not " + w);
        Job job = jobs.get(caller, id).job(); // NOT_FOUND for a job the caller may not see
        List<String> names = db.tx(c -> Jobs.documentNames(c, job.id()));
        List<Path> docs = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < job.documents().size(); i++) {
            docs.add(documents.document(job.documents().get(i)));
            shown.add(i < names.size() && names.get(i) != null && !names.get(i).isBlank() ? names.get(i) : "document " + (i + 1));
        }
        String source = job.cover() == null || job.cover().isBlank() ? null : db.tx(c -> CoverService.source(c, job.userId(), job.cover()));
        Map<String, String> stored = db.tx(c -> JobDetails.coverFields(c, job.id()));
        DocumentConverter converter = new DocumentConverter(ConvertOptions.of(Resolution.parse(job.resolution()), PageSize.A4));
        try {
            CoverPage cover = source == null ? null : new CoverPage(CoverTemplateParser.parse(job.cover(), source), coverFields(job, stored), clock);
            BilevelPage page = converter.page(docs, shown, cover, n);
            if (page == null) throw new ProblemException(Problem.NOT_FOUND, "job " + id + " has fewer than " + n + " pages");
            return new Thumbnail(job.id(), page.width(), page.height(), FaxViewer.thumbnail(page, w));
        } catch (IOException e) { // DocumentException too: a document or cover that no longer converts
            String why = String.valueOf(e.getMessage());
            for (int i = 0; i < docs.size(); i++) why = why.replace(docs.get(i).toString(), shown.get(i)); // never the spool's paths
            throw new ProblemException(Problem.CONFLICT, "page " + n + " of job " + id + " cannot be drawn: " + why);
        }
    }

    /** The cover page's fields as the sender fills them: recipient, sender and subject, then the job's own. */
    public static Map<String, String> coverFields(Job job, Map<String, String> stored) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("to_fax", job.recipient());
        fields.put("from", job.owner());
        if (job.subject() != null) fields.put("subject", job.subject());
        fields.putAll(stored);
        return fields;
    }
}
