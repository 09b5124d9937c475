-- Attempts that began converting and never recorded how they ended (the process died, or the
-- conversion crashed): counted when the job enters 'converting', cleared when an attempt ends with
-- an outcome. A job reaching 2 is failed instead of being tried forever.
ALTER TABLE jobs ADD COLUMN unfinished_attempts INT NOT NULL DEFAULT 0;
