-- Cover page fields of a job: given at submit (submit --field, --comment) or taken from the phonebook
-- entry the recipient was named by (to, to_company); the dispatcher fills the cover page with them.
CREATE TABLE job_cover_fields (
    job_id BIGINT                  NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    name   CHARACTER VARYING(64)   NOT NULL,
    val    CHARACTER VARYING(1000) NOT NULL,
    PRIMARY KEY (job_id, name)
);
