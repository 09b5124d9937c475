-- The nodes of a cluster sharing this database: each writes its row at start and its heartbeat
-- every few seconds; 'info' lists those whose heartbeat is recent, with the address clients reach
-- them at and the fingerprint of their certificate, so a client of one node knows them all.
CREATE TABLE nodes (
    name        VARCHAR(64)   NOT NULL PRIMARY KEY,
    server_name VARCHAR(255)  NOT NULL,
    host        VARCHAR(255),
    port        INT,
    fingerprint VARCHAR(64)   NOT NULL,
    started     BIGINT        NOT NULL,
    heartbeat   BIGINT        NOT NULL
);
-- The node whose line answered the call: its work on the fax (reading it) is its own while it lives.
ALTER TABLE received_faxes ADD COLUMN node VARCHAR(64);
-- A claim looks for a call in progress to the same number on any node: one call per number.
CREATE INDEX jobs_recipient ON jobs(recipient);
