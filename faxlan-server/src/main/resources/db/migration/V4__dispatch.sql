-- Sending: attempts per job, when the next one is due, pages sent.
ALTER TABLE jobs ADD COLUMN attempts INT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN next_attempt BIGINT;
ALTER TABLE jobs ADD COLUMN pages INT;
CREATE INDEX jobs_state_due ON jobs(state, next_attempt);
