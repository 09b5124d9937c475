-- Each call attempt of a job, as 'faxlan job ID' shows it: the line, the media plan the attempt
-- started with and why (the policy, or the number's media memory), the media the call ended on and
-- why (a fallback names what failed), the carrier trained (after any step-down), how it ended.
-- 'attempt' counts as jobs.attempts does; a number a crashed attempt left is replaced.
CREATE TABLE job_calls (
    job_id    BIGINT        NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    attempt   INT           NOT NULL,
    started   BIGINT        NOT NULL,
    ended     BIGINT        NOT NULL,
    line      VARCHAR(64)   NOT NULL,
    plan      VARCHAR(400)  NOT NULL,
    media     VARCHAR(8),
    media_why VARCHAR(400)  NOT NULL,
    carrier   VARCHAR(80)   NOT NULL,
    outcome   VARCHAR(32)   NOT NULL,
    pages     INT           NOT NULL,
    reason    VARCHAR(255)  NOT NULL,
    PRIMARY KEY (job_id, attempt)
);
