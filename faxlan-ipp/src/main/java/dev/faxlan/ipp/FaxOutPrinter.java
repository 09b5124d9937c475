package dev.faxlan.ipp;

import com.hp.jipp.encoding.Attribute;
import com.hp.jipp.encoding.AttributeGroup;
import com.hp.jipp.encoding.AttributeType;
import com.hp.jipp.encoding.DelimiterTag;
import com.hp.jipp.encoding.IppPacket;
import com.hp.jipp.encoding.KeywordOrName;
import com.hp.jipp.encoding.Tag;
import com.hp.jipp.model.DestinationUris;
import com.hp.jipp.model.JobState;
import com.hp.jipp.model.Operation;
import com.hp.jipp.model.PrinterState;
import com.hp.jipp.model.Status;
import com.hp.jipp.model.Types;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.sdk.FaxlanException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPP FaxOut printer (PWG 5100.15 on RFC 8011): one IPP request in, its response out. Each IPP
 * job becomes fax jobs of the authenticated user through {@link FaxAccount}, one per destination;
 * the IPP job table is this process's memory (finished jobs beyond {@link #KEPT_JOBS} are forgotten,
 * oldest first). No I/O but the document's spool file, so tests drive it without HTTP.
 */
public final class FaxOutPrinter {
    private static final Logger log = LoggerFactory.getLogger(FaxOutPrinter.class);

    /** The document formats the fax server converts (PWG Raster is not among them: docs/print-to-fax.md). */
    public static final List<String> FORMATS = List.of("application/octet-stream", "application/pdf", "image/jpeg", "image/png", "text/plain");
    /** The operations served; every one but Get-Printer-Attributes needs an authenticated user. */
    public static final List<Operation> OPERATIONS = List.of(Operation.printJob, Operation.validateJob, Operation.createJob,
            Operation.sendDocument, Operation.cancelJob, Operation.getJobAttributes, Operation.getJobs, Operation.getPrinterAttributes);
    /** Jobs remembered; beyond this the oldest finished ones are forgotten. */
    static final int KEPT_JOBS = 1000;
    /** Documents one job may have before its last. */
    static final int MAX_DOCUMENTS = 20;
    private static final Set<String> ALL_GROUPS = Set.of("all", "printer-description", "job-template", "job-description", "job-status");
    private static final Set<Integer> VERSIONS = Set.of(0x0100, 0x0101, 0x0200, 0x0201, 0x0202);

    private final String name;
    private final String location;
    private final Path spool;
    private final long maxDocumentBytes;
    private final Clock clock;
    private final Instant started;
    private final boolean tls;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final ConcurrentSkipListMap<Integer, FaxOutJob> jobs = new ConcurrentSkipListMap<>();

    /**
     * @param name the printer-name and printer-info shown to users
     * @param location the printer-location shown to users ("" for none)
     * @param spool a directory of this process's own for documents until they are uploaded
     * @param maxDocumentBytes the largest document accepted
     * @param tls whether the service is reached over HTTPS (uri-security-supported)
     */
    public FaxOutPrinter(String name, String location, Path spool, long maxDocumentBytes, boolean tls, Clock clock) {
        this.name = name;
        this.location = location;
        this.spool = spool;
        this.maxDocumentBytes = maxDocumentBytes;
        this.tls = tls;
        this.clock = clock;
        this.started = clock.instant();
    }

    /** Whether {@code operation} acts for a user (so the request needs HTTP authentication first). */
    public static boolean needsUser(int operation) {
        return operation != Operation.getPrinterAttributes.getCode();
    }

    /** A failure answered with an IPP status; its message becomes status-message. */
    static final class Refusal extends Exception {
        final Status status;

        Refusal(Status status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /**
     * The response to {@code request}, whose document data (if any) follows in {@code data}.
     * {@code account} is null only for operations where {@link #needsUser} is false.
     */
    public IppPacket handle(IppPacket request, InputStream data, URI printerUri, FaxAccount account) {
        try {
            checkVersion(request);
            checkOperationGroup(request);
            Operation op = Operation.all.get(request.getCode());
            if (op == null || !OPERATIONS.contains(op)) {
                throw new Refusal(Status.serverErrorOperationNotSupported, "operation 0x" + Integer.toHexString(request.getCode())
                        + " is not supported by this fax printer");
            }
            if (needsUser(op.getCode()) && account == null) throw new Refusal(Status.clientErrorNotAuthenticated, "log in first");
            if (op == Operation.getPrinterAttributes) return printerAttributes(request, printerUri);
            if (op == Operation.validateJob) return validate(request);
            if (op == Operation.printJob) return print(request, data, printerUri, account);
            if (op == Operation.createJob) return create(request, printerUri, account);
            if (op == Operation.sendDocument) return sendDocument(request, data, printerUri, account);
            if (op == Operation.getJobs) return getJobs(request, printerUri, account);
            if (op == Operation.getJobAttributes) return getJobAttributes(request, printerUri, account);
            return cancel(request, printerUri, account);
        } catch (Refusal r) {
            return response(request, r.status, r.getMessage());
        } catch (FaxlanException e) {
            return response(request, status(e), "fax server: " + e.getMessage());
        } catch (IOException e) {
            log.info("IPP request {}: document not received: {}", request.getRequestId(), e.getMessage());
            return response(request, Status.clientErrorBadRequest, "the document was not received whole");
        }
    }

    /** The response to a request that could not be decoded at all. */
    public static IppPacket malformed(String why) {
        return new IppPacket(0x0101, Status.clientErrorBadRequest.getCode(), 0, operationGroup("malformed IPP request: " + why));
    }

    private static Status status(FaxlanException e) {
        if (e instanceof FaxlanException.AuthenticationFailed) return Status.clientErrorNotAuthenticated;
        if (e instanceof FaxlanException.Unreachable) return Status.serverErrorServiceUnavailable;
        if (e instanceof FaxlanException.Refused r) {
            ErrorCode c = r.code();
            if (c == ErrorCode.PERMISSION_DENIED) return Status.clientErrorNotAuthorized;
            if (c == ErrorCode.NOT_FOUND) return Status.clientErrorNotFound;
            if (c == ErrorCode.CONFLICT) return Status.clientErrorNotPossible;
            if (c == ErrorCode.UPLOAD_TOO_LARGE) return Status.clientErrorRequestEntityTooLarge;
            if (c == ErrorCode.BUSY || c == ErrorCode.STORAGE_FULL || c == ErrorCode.DISK_FULL) return Status.serverErrorBusy;
            if (c == ErrorCode.INTERNAL) return Status.serverErrorInternalError;
            return Status.clientErrorBadRequest;
        }
        return Status.serverErrorInternalError;
    }

    private static void checkVersion(IppPacket request) throws Refusal {
        if (!VERSIONS.contains(request.getVersionNumber())) {
            throw new Refusal(Status.serverErrorVersionNotSupported, "IPP version " + (request.getVersionNumber() >> 8) + "."
                    + (request.getVersionNumber() & 0xFF) + " is not supported; use 1.1 or 2.0");
        }
    }

    /** RFC 8011 4.1.4: the operation group first, charset then language, and a request id other than 0. */
    private static void checkOperationGroup(IppPacket request) throws Refusal {
        if (request.getRequestId() == 0) throw new Refusal(Status.clientErrorBadRequest, "request-id 0 is not allowed");
        List<AttributeGroup> groups = request.getAttributeGroups();
        if (groups.isEmpty() || groups.get(0).getTag() != Tag.operationAttributes) {
            throw new Refusal(Status.clientErrorBadRequest, "the operation attributes must come first");
        }
        for (int i = 1; i < groups.size(); i++) {
            if (groups.get(i).getTag() == Tag.operationAttributes) throw new Refusal(Status.clientErrorBadRequest, "two operation attribute groups");
        }
        AttributeGroup op = groups.get(0);
        if (op.size() < 2 || !op.get(0).getName().equals("attributes-charset") || !op.get(1).getName().equals("attributes-natural-language")) {
            throw new Refusal(Status.clientErrorBadRequest, "attributes-charset and attributes-natural-language must be the first two attributes");
        }
        String charset = string(op, Types.attributesCharset);
        if (charset == null || !(charset.equalsIgnoreCase("utf-8") || charset.equalsIgnoreCase("us-ascii"))) {
            throw new Refusal(Status.clientErrorCharsetNotSupported, "charset " + charset + " is not supported; use utf-8");
        }
        if (op.get("printer-uri") == null && op.get("job-uri") == null) {
            throw new Refusal(Status.clientErrorBadRequest, "printer-uri or job-uri is missing");
        }
    }

    // ---- the printer

    private IppPacket printerAttributes(IppPacket request, URI printerUri) {
        List<Attribute<?>> all = new ArrayList<>();
        all.add(Types.printerUriSupported.of(printerUri));
        all.add(Types.uriSecuritySupported.of(tls ? "tls" : "none"));
        all.add(Types.uriAuthenticationSupported.of("basic"));
        all.add(Types.printerName.of(name));
        all.add(Types.printerInfo.of(name));
        all.add(Types.printerLocation.of(location));
        all.add(Types.printerMakeAndModel.of("faxlan IPP FaxOut"));
        all.add(Types.printerState.of(PrinterState.idle));
        all.add(Types.printerStateReasons.of("none"));
        all.add(Types.ippVersionsSupported.of("1.1", "2.0"));
        all.add(Types.ippFeaturesSupported.of("faxout"));
        all.add(Types.operationsSupported.of(OPERATIONS));
        all.add(Types.multipleDocumentJobsSupported.of(true));
        all.add(Types.charsetConfigured.of("utf-8"));
        all.add(Types.charsetSupported.of("utf-8", "us-ascii"));
        all.add(Types.naturalLanguageConfigured.of("en"));
        all.add(Types.generatedNaturalLanguageSupported.of("en"));
        all.add(Types.documentFormatDefault.of("application/octet-stream"));
        all.add(Types.documentFormatSupported.of(FORMATS));
        all.add(Types.printerIsAcceptingJobs.of(true));
        all.add(Types.queuedJobCount.of(queued()));
        all.add(Types.pdlOverrideSupported.of("not-attempted"));
        all.add(Types.printerUpTime.of(upTime()));
        all.add(Types.printerCurrentTime.of(now()));
        all.add(Types.compressionSupported.of("none"));
        // A4 first: faxlan's pages are A4 unless the server is told otherwise, and CUPS makes its queue's default from media-default.
        all.add(Types.mediaDefault.of("iso_a4_210x297mm"));
        all.add(Types.mediaSupported.of(new KeywordOrName("iso_a4_210x297mm"), new KeywordOrName("na_letter_8.5x11in")));
        all.add(Types.printerUuid.of(URI.create("urn:uuid:" + UUID.nameUUIDFromBytes(printerUri.toString().getBytes(StandardCharsets.UTF_8)))));
        all.add(Types.destinationUriSchemesSupported.of("tel"));
        all.add(Types.destinationUrisSupported.of("destination-uri"));
        all.add(Types.multipleDestinationUrisSupported.of(true));
        all.add(Types.jobCreationAttributesSupported.of("destination-uris"));
        all.add(Types.whichJobsSupported.of("completed", "not-completed", "all"));
        all.add(Types.jobIdsSupported.of(false));
        return response(request, Status.successfulOk, null, selected(Tag.printerAttributes, all, requested(request), null));
    }

    private int queued() {
        int n = 0;
        for (FaxOutJob j : jobs.values()) if (j.completedSeconds() == null) n++;
        return n;
    }

    private int upTime() {
        return (int) Math.min(Integer.MAX_VALUE, Duration.between(started, clock.instant()).toSeconds() + 1);
    }

    private Calendar now() {
        Calendar c = Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT);
        c.setTimeInMillis(clock.millis());
        return c;
    }

    // ---- making jobs

    private IppPacket validate(IppPacket request) throws Refusal {
        format(request);
        if (request.get(Tag.jobAttributes) != null && request.get(Tag.jobAttributes).get("destination-uris") != null) numbers(request);
        return response(request, Status.successfulOk, null);
    }

    private IppPacket print(IppPacket request, InputStream data, URI printerUri, FaxAccount account) throws Refusal, IOException {
        String format = format(request);
        List<String> numbers = numbers(request);
        FaxOutJob job = newJob(request, account, numbers);
        try {
            Path doc = receive(data, format, job);
            if (doc == null) throw new Refusal(Status.clientErrorBadRequest, "Print-Job carried no document");
            job.addDocument(doc);
            submit(job, account);
        } catch (Refusal | IOException | RuntimeException e) {
            // A Print-Job that fails leaves no IPP job behind.
            jobs.remove(job.id);
            throw e;
        }
        return jobResponse(request, printerUri, job, account);
    }

    private IppPacket create(IppPacket request, URI printerUri, FaxAccount account) throws Refusal {
        FaxOutJob job = newJob(request, account, numbers(request));
        return jobResponse(request, printerUri, job, account);
    }

    private IppPacket sendDocument(IppPacket request, InputStream data, URI printerUri, FaxAccount account) throws Refusal, IOException {
        FaxOutJob job = job(request, printerUri, account);
        String format = format(request);
        Boolean last = value(request, Tag.operationAttributes, Types.lastDocument);
        if (last == null) throw new Refusal(Status.clientErrorBadRequest, "Send-Document needs last-document");
        synchronized (job) {
            if (job.submitted() || job.canceled()) throw new Refusal(Status.clientErrorNotPossible, "job " + job.id + " takes no more documents");
            if (job.documents().size() >= MAX_DOCUMENTS) throw new Refusal(Status.serverErrorTooManyDocuments, "at most " + MAX_DOCUMENTS + " documents per job");
            Path doc = receive(data, format, job);
            if (doc != null) job.addDocument(doc);
            if (last) {
                if (job.documents().isEmpty()) throw new Refusal(Status.clientErrorBadRequest, "job " + job.id + " has no document");
                submit(job, account);
            }
        }
        return jobResponse(request, printerUri, job, account);
    }

    private FaxOutJob newJob(IppPacket request, FaxAccount account, List<String> numbers) {
        String jobName = string(request, Tag.operationAttributes, Types.jobName);
        if (jobName == null && request.get(Tag.jobAttributes) != null) jobName = string(request, Tag.jobAttributes, Types.jobName);
        FaxOutJob job = new FaxOutJob(nextId.getAndIncrement(), account.user(), jobName == null ? "" : jobName, numbers, upTime());
        jobs.put(job.id, job);
        forgetOld();
        return job;
    }

    private void forgetOld() {
        int excess = jobs.size() - KEPT_JOBS;
        for (FaxOutJob j : jobs.values()) {
            if (excess <= 0) return;
            if (j.completedSeconds() != null) {
                jobs.remove(j.id);
                excess--;
            }
        }
    }

    private void submit(FaxOutJob job, FaxAccount account) throws Refusal {
        List<Path> docs = job.documents();
        try {
            List<Long> ids = account.submit(job.numbers, docs, job.name.isEmpty() ? null : job.name);
            job.submitted(ids);
            log.info("IPP job {} of {}: fax jobs {} to {}", job.id, job.owner, ids, job.numbers);
        } catch (FaxlanException e) {
            // Nothing half-submitted: the IPP job goes with its documents, and the client is told why.
            jobs.remove(job.id);
            throw new Refusal(status(e), "fax server refused the job: " + e.getMessage());
        } finally {
            for (Path d : docs) deleteQuietly(d);
        }
    }

    /** The document data into a spool file; null when there is none. */
    private Path receive(InputStream data, String format, FaxOutJob job) throws Refusal, IOException {
        Path file = spool.resolve("job-" + job.id + "-" + UUID.randomUUID() + extension(format));
        long n = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            for (int r; (r = data.read(buf)) > 0; ) {
                n += r;
                if (n > maxDocumentBytes) {
                    throw new Refusal(Status.clientErrorRequestEntityTooLarge, "the document is larger than " + maxDocumentBytes + " bytes");
                }
                out.write(buf, 0, r);
            }
        } catch (Refusal | IOException | RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
        if (n == 0) {
            deleteQuietly(file);
            return null;
        }
        return file;
    }

    private static String extension(String format) {
        return switch (format) {
            case "application/pdf" -> ".pdf";
            case "image/jpeg" -> ".jpg";
            case "image/png" -> ".png";
            case "text/plain" -> ".txt";
            default -> "";
        };
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("cannot delete spooled document {}: {}", p.getFileName(), e.getMessage());
        }
    }

    private static String format(IppPacket request) throws Refusal {
        String f = string(request, Tag.operationAttributes, Types.documentFormat);
        if (f == null) return "application/octet-stream";
        String bare = f.toLowerCase(Locale.ROOT);
        if (bare.contains(";")) bare = bare.substring(0, bare.indexOf(';')).strip();
        if (!FORMATS.contains(bare)) {
            throw new Refusal(Status.clientErrorDocumentFormatNotSupported, "document-format " + f + " is not supported; send one of " + FORMATS);
        }
        return bare;
    }

    private static List<String> numbers(IppPacket request) throws Refusal {
        List<URI> uris = new ArrayList<>();
        for (DelimiterTag tag : List.of(Tag.jobAttributes, Tag.operationAttributes)) {
            AttributeGroup g = request.get(tag);
            if (g == null || g.get("destination-uris") == null) continue;
            List<DestinationUris> d;
            try {
                d = g.getValues(Types.destinationUris);
            } catch (RuntimeException e) {
                throw new Refusal(Status.clientErrorBadRequest, "destination-uris must be collections with a destination-uri");
            }
            for (DestinationUris u : d) uris.add(u.getDestinationUri());
            break;
        }
        if (uris.isEmpty()) {
            // CUPS's ipp backend passes a queue's "-o phone=NUMBER" on as a job attribute named phone.
            for (DelimiterTag tag : List.of(Tag.jobAttributes, Tag.operationAttributes)) {
                AttributeGroup g = request.get(tag);
                Attribute<?> phone = g == null ? null : g.get("phone");
                if (phone == null) continue;
                for (String number : phone.strings()) {
                    try {
                        uris.add(new URI("tel", number.strip(), null));
                    } catch (URISyntaxException e) {
                        throw new Refusal(Status.clientErrorBadRequest, "phone " + number + " is not a telephone number");
                    }
                }
                break;
            }
        }
        try {
            return Destinations.numbers(uris);
        } catch (Destinations.Unusable e) {
            throw new Refusal(e.scheme() ? Status.clientErrorUriSchemeNotSupported : Status.clientErrorBadRequest, e.getMessage());
        }
    }

    // ---- reading a request's attributes

    /**
     * The first value of {@code type} in the request's {@code tag} group; null when it is absent or has no
     * value (an out-of-band 'no-value' or 'unknown', or a value JIPP could not read), which JIPP's own
     * getters answer with an exception.
     */
    private static <T> T value(IppPacket request, DelimiterTag tag, AttributeType<T> type) {
        AttributeGroup g = request.get(tag);
        if (g == null) return null;
        Attribute<T> a = g.get(type);
        return a == null || a.isEmpty() ? null : a.get(0);
    }

    /** As {@link #value}, the first value as text. */
    private static String string(IppPacket request, DelimiterTag tag, AttributeType<?> type) {
        AttributeGroup g = request.get(tag);
        return g == null ? null : string(g, type);
    }

    private static String string(AttributeGroup g, AttributeType<?> type) {
        Attribute<?> a = g.get(type);
        if (a == null || a.isEmpty()) return null;
        List<String> s = a.strings();
        return s.isEmpty() ? null : s.get(0);
    }

    // ---- jobs

    /** The caller's job the request names by job-id or job-uri. */
    private FaxOutJob job(IppPacket request, URI printerUri, FaxAccount account) throws Refusal {
        Integer id = value(request, Tag.operationAttributes, Types.jobId);
        URI uri = value(request, Tag.operationAttributes, Types.jobUri);
        if (id == null && uri != null) {
            String path = uri.getPath() == null ? "" : uri.getPath();
            try {
                id = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
            } catch (NumberFormatException e) {
                throw new Refusal(Status.clientErrorNotFound, "no job at " + uri);
            }
        }
        if (id == null) throw new Refusal(Status.clientErrorBadRequest, "job-id or job-uri is missing");
        FaxOutJob job = jobs.get(id);
        // Another user's job is not found either: its existence is not theirs to learn.
        if (job == null || !job.owner.equals(account.user())) throw new Refusal(Status.clientErrorNotFound, "no job " + id + " of " + account.user());
        return job;
    }

    private IppPacket getJobAttributes(IppPacket request, URI printerUri, FaxAccount account) throws Refusal {
        FaxOutJob job = job(request, printerUri, account);
        return response(request, Status.successfulOk, null, selected(Tag.jobAttributes, jobAttributes(job, printerUri, account), requested(request), null));
    }

    private IppPacket getJobs(IppPacket request, URI printerUri, FaxAccount account) throws Refusal {
        String which = string(request, Tag.operationAttributes, Types.whichJobs);
        if (which == null) which = "not-completed";
        if (!Set.of("completed", "not-completed", "all").contains(which)) {
            throw new Refusal(Status.clientErrorAttributesOrValuesNotSupported, "which-jobs " + which + " is not supported");
        }
        Integer limit = value(request, Tag.operationAttributes, Types.limit);
        List<String> requested = requested(request);
        List<FaxOutJob> mine = new ArrayList<>();
        for (FaxOutJob j : jobs.descendingMap().values()) if (j.owner.equals(account.user())) mine.add(j);
        List<Long> faxIds = new ArrayList<>();
        for (FaxOutJob j : mine) faxIds.addAll(j.faxes());
        Map<Long, FaxAccount.Fax> faxes = faxIds.isEmpty() ? Map.of() : account.faxes(faxIds);
        List<AttributeGroup> groups = new ArrayList<>();
        for (FaxOutJob j : mine) {
            if (limit != null && groups.size() >= limit) break;
            JobState state = state(j, faxes);
            boolean done = JobStates.finished(state);
            if (which.equals("completed") && !done || which.equals("not-completed") && done) continue;
            groups.add(selected(Tag.jobAttributes, jobAttributes(j, state, faxes, printerUri), requested, Set.of("job-id", "job-uri")));
        }
        return response(request, Status.successfulOk, null, groups.toArray(new AttributeGroup[0]));
    }

    private IppPacket cancel(IppPacket request, URI printerUri, FaxAccount account) throws Refusal {
        FaxOutJob job = job(request, printerUri, account);
        synchronized (job) {
            if (!job.submitted()) {
                if (job.canceled()) throw new Refusal(Status.clientErrorNotPossible, "job " + job.id + " is canceled already");
                for (Path d : job.cancelUnsubmitted(upTime())) deleteQuietly(d);
                return response(request, Status.successfulOk, null);
            }
        }
        Map<Long, FaxAccount.Fax> faxes = account.faxes(job.faxes());
        JobState state = state(job, faxes);
        if (JobStates.finished(state)) throw new Refusal(Status.clientErrorNotPossible, "job " + job.id + " is " + state.getName() + " already");
        for (FaxAccount.Fax f : faxes.values()) if (!f.state().finished()) account.cancel(f.id());
        log.info("IPP job {} of {} canceled: fax jobs {}", job.id, job.owner, job.faxes());
        return response(request, Status.successfulOk, null);
    }

    private JobState state(FaxOutJob job, Map<Long, FaxAccount.Fax> faxes) {
        if (job.canceled()) return JobState.canceled;
        List<dev.faxlan.sdk.JobState> states = new ArrayList<>();
        for (Long id : job.faxes()) {
            FaxAccount.Fax f = faxes.get(id);
            // A fax the server no longer shows (removed by its owner elsewhere) ended as far as this job is concerned.
            states.add(f == null ? dev.faxlan.sdk.JobState.CANCELLED : f.state());
        }
        JobState s = JobStates.combined(states);
        if (s == JobState.processing || JobStates.finished(s)) job.processing(upTime());
        if (JobStates.finished(s)) job.completed(upTime());
        return s;
    }

    private IppPacket jobResponse(IppPacket request, URI printerUri, FaxOutJob job, FaxAccount account) {
        List<Attribute<?>> attrs = jobAttributes(job, printerUri, account);
        List<Attribute<?>> brief = new ArrayList<>();
        for (Attribute<?> a : attrs) {
            if (Set.of("job-id", "job-uri", "job-state", "job-state-reasons", "job-state-message").contains(a.getName())) brief.add(a);
        }
        return response(request, Status.successfulOk, null, AttributeGroup.groupOf(Tag.jobAttributes, brief));
    }

    private List<Attribute<?>> jobAttributes(FaxOutJob job, URI printerUri, FaxAccount account) {
        Map<Long, FaxAccount.Fax> faxes = job.faxes().isEmpty() ? Map.of() : account.faxes(job.faxes());
        return jobAttributes(job, state(job, faxes), faxes, printerUri);
    }

    private List<Attribute<?>> jobAttributes(FaxOutJob job, JobState state, Map<Long, FaxAccount.Fax> faxes, URI printerUri) {
        List<Attribute<?>> a = new ArrayList<>();
        a.add(Types.jobId.of(job.id));
        a.add(Types.jobUri.of(jobUri(printerUri, job.id)));
        a.add(Types.jobPrinterUri.of(printerUri));
        a.add(Types.jobState.of(state));
        a.add(Types.jobStateReasons.of(JobStates.reason(state)));
        String message = message(job, state, faxes);
        if (message != null) a.add(Types.jobStateMessage.of(message));
        a.add(Types.jobName.of(job.name));
        a.add(Types.jobOriginatingUserName.of(job.owner));
        a.add(Types.jobPrinterUpTime.of(upTime()));
        a.add(Types.timeAtCreation.of((int) job.createdSeconds));
        Long processing = job.processingSeconds();
        a.add(processing == null ? Types.timeAtProcessing.noValue() : Types.timeAtProcessing.of(processing.intValue()));
        Long completed = job.completedSeconds();
        a.add(completed == null ? Types.timeAtCompleted.noValue() : Types.timeAtCompleted.of(completed.intValue()));
        a.add(Types.numberOfDocuments.of(job.submitted() ? 1 : job.documents().size()));
        return a;
    }

    /** What the fax server said about the job's faxes: their ids, and the reason of each that failed. */
    private static String message(FaxOutJob job, JobState state, Map<Long, FaxAccount.Fax> faxes) {
        if (job.faxes().isEmpty()) return null;
        StringBuilder m = new StringBuilder("fax jobs " + job.faxes());
        for (Long id : job.faxes()) {
            FaxAccount.Fax f = faxes.get(id);
            if (f != null && f.state() == dev.faxlan.sdk.JobState.FAILED && f.reason() != null) m.append("; ").append(id).append(": ").append(f.reason());
        }
        return m.length() > 1023 ? m.substring(0, 1023) : m.toString();
    }

    static URI jobUri(URI printerUri, int id) {
        return URI.create(printerUri.toString() + "/" + id);
    }

    // ---- responses

    private static List<String> requested(IppPacket request) {
        AttributeGroup op = request.get(Tag.operationAttributes);
        return op == null ? List.of() : op.getStrings(Types.requestedAttributes);
    }

    /** The attributes the client asked for; when it named none: {@code defaults}, or all if null. */
    private static AttributeGroup selected(DelimiterTag tag, List<Attribute<?>> all, List<String> requested, Set<String> defaults) {
        boolean everything = requested.isEmpty() ? defaults == null : requested.stream().anyMatch(ALL_GROUPS::contains);
        List<Attribute<?>> out = new ArrayList<>();
        for (Attribute<?> a : all) {
            if (everything || (requested.isEmpty() ? defaults.contains(a.getName()) : requested.contains(a.getName()))) out.add(a);
        }
        return AttributeGroup.groupOf(tag, out);
    }

    private static IppPacket response(IppPacket request, Status status, String message, AttributeGroup... more) {
        List<AttributeGroup> groups = new ArrayList<>();
        groups.add(operationGroup(message));
        groups.addAll(List.of(more));
        int version = VERSIONS.contains(request.getVersionNumber()) ? request.getVersionNumber() : 0x0101;
        return new IppPacket(version, status.getCode(), request.getRequestId(), groups);
    }

    private static AttributeGroup operationGroup(String message) {
        List<Attribute<?>> op = new ArrayList<>(List.of(Types.attributesCharset.of("utf-8"), Types.attributesNaturalLanguage.of("en")));
        if (message != null) op.add(Types.statusMessage.of(message.length() > 255 ? message.substring(0, 255) : message));
        return AttributeGroup.groupOf(Tag.operationAttributes, op);
    }
}
