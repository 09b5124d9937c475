-- Who submitted a job when that is not its owner: an administrator or a gateway account (the SMTP
-- gateway submitting for an allow-listed sender) that named the owner in `submit`. Null when the
-- owner submitted it. The documents are the submitter's uploads. Removing the submitting account
-- keeps its jobs, which belong to their owners.
ALTER TABLE jobs ADD COLUMN submitter_id BIGINT REFERENCES users(id) ON DELETE SET NULL;
