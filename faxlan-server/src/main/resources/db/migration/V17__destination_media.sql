-- Per-destination memory of fax media: a number whose calls failed on one media (T.38 or G.711) is
-- tried with the other first until 'expires' (milliseconds since the epoch). One row per number, the
-- latest failure; shared by every node on the database.
CREATE TABLE destination_media (
    destination VARCHAR(40)  PRIMARY KEY,
    failed      VARCHAR(8)   NOT NULL,
    reason      VARCHAR(200) NOT NULL,
    since       BIGINT       NOT NULL,
    expires     BIGINT       NOT NULL
);
CREATE INDEX destination_media_expires ON destination_media(expires);
