-- How long the last call of a job lasted, for transmission reports (the job map's duration).
ALTER TABLE jobs ADD COLUMN call_duration BIGINT;
