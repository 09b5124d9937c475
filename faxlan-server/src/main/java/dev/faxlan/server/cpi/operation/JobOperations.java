package dev.faxlan.server.cpi.operation;

import dev.faxlan.server.core.job.Job;
import static dev.faxlan.server.cpi.operation.Operations.encode;

import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.message.JobMessage;
import dev.faxlan.server.core.job.JobService;
import dev.faxlan.server.core.job.JobThumbnails;
import dev.faxlan.server.storage.JobCalls;
import dev.faxlan.server.storage.Jobs;
import java.util.ArrayList;
import java.util.List;

/** {@code submit}, {@code job.cancel}, {@code job.list}, {@code job.get} and {@code job.thumbnail}. */
final class JobOperations {
    private final JobService jobs;
    private final JobThumbnails thumbnails;

    JobOperations(JobService jobs, JobThumbnails thumbnails) {
        this.jobs = jobs;
        this.thumbnails = thumbnails;
    }

    void register(Operations ops) {
        ops.query(Op.JOB_LIST, call -> {
            boolean all = Boolean.TRUE.equals(call.body(JobMessage.ListJobs.class).all());
            List<JobMessage.Job> out = new ArrayList<>();
            for (JobService.JobView v : jobs.list(call.caller(), all)) out.add(job(v));
            return encode(new JobMessage.Jobs(out));
        });
        ops.query(Op.JOB_GET, call -> {
            long id = call.body(JobMessage.GetJob.class).job();
            JobMessage.Job j = job(jobs.get(call.caller(), id));
            return encode(new JobMessage.OneJob(withCalls(j, jobs.calls(call.caller(), id))));
        });
        ops.query(Op.JOB_THUMBNAIL, call -> {
            JobMessage.GetThumbnail r = call.body(JobMessage.GetThumbnail.class);
            int page = r.page() == null ? 1 : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, r.page()));
            JobThumbnails.Thumbnail t = thumbnails.of(call.caller(), r.job(), r.width() == null ? null : (int) Math.min(Integer.MAX_VALUE, r.width()), page);
            return encode(new JobMessage.Thumbnail(t.job(), t.pageWidth(), t.pageHeight(), t.png()));
        });
        ops.command(Op.SUBMIT, call -> {
            JobMessage.Submit r = call.body(JobMessage.Submit.class);
            JobService.Submission s = new JobService.Submission(r.to(), r.documents(), r.resolution(), r.subject(), r.cover(), r.at(), r.priority(),
                    r.fields(), r.owner());
            return (c, after) -> {
                JobService.Submitted done = jobs.submit(c, call.caller(), s, after);
                List<JobMessage.Job> out = new ArrayList<>();
                for (JobService.JobView v : done.jobs()) out.add(job(v));
                return encode(new JobMessage.Submitted(done.submission(), out));
            };
        });
        ops.command(Op.JOB_CANCEL, call -> {
            long id = call.body(JobMessage.CancelJob.class).job();
            return (c, after) -> encode(new JobMessage.OneJob(job(jobs.cancel(c, call.caller(), id, after))));
        });
    }

    /** {@code j} with its calls, as {@code job.get} sends it. */
    static JobMessage.Job withCalls(JobMessage.Job j, List<JobCalls.Call> calls) {
        List<JobMessage.Call> out = new ArrayList<>();
        for (JobCalls.Call c : calls) {
            out.add(new JobMessage.Call(c.attempt(), c.started(), c.ended(), c.line(), c.plan(), c.media(), c.mediaWhy(),
                    c.carrier().isEmpty() ? null : c.carrier(), c.outcome(), c.pages(), c.reason()));
        }
        return new JobMessage.Job(j.id(), j.owner(), j.submitter(), j.submission(), j.to(), j.state(), j.subject(), j.cover(), j.resolution(), j.at(),
                j.created(), j.updated(), j.reason(), j.documents(), j.names(), j.priority(), j.attempts(), j.fields(), j.pages(), j.duration(), out);
    }

    static JobMessage.Job job(JobService.JobView v) {
        Job j = v.job();
        return new JobMessage.Job(j.id(), j.owner(), v.details().submitter(), j.submission(), j.recipient(), j.state(), j.subject(), j.cover(), j.resolution(), j.sendAt(),
                j.created(), j.updated(), j.reason(), new ArrayList<>(j.documents()), new ArrayList<>(v.details().names()),
                (long) v.details().priority(), (long) v.details().attempts(), v.details().coverFields(),
                v.details().pages() == null ? null : (long) v.details().pages(), v.details().callMillis());
    }
}
