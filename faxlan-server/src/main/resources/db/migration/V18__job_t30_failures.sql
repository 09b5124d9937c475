-- Attempts of a job that failed in T.30 (the call was answered, the fax transfer failed): the next
-- attempt steps down its carrier (14,400 -> 9,600 bit/s, then ECM off) by this count.
ALTER TABLE jobs ADD COLUMN t30_failures INT NOT NULL DEFAULT 0;
