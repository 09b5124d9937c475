-- The text of received faxes, read by OCR in the background, and the queue of faxes waiting to be read.
-- Portable between H2 (PostgreSQL mode) and PostgreSQL. Times are epoch milliseconds.

-- A fax waits here until each of its pages has a row in received_fax_text; route_when_read marks a
-- fax whose mailbox waits for its page 1 (a routing rule matches on content). Rows survive a restart.
CREATE TABLE received_fax_ocr_queue (
    fax_id           BIGINT  NOT NULL PRIMARY KEY REFERENCES received_faxes(id) ON DELETE CASCADE,
    route_when_read  BOOLEAN NOT NULL,
    queued           BIGINT  NOT NULL
);
CREATE INDEX received_fax_ocr_queue_queued ON received_fax_ocr_queue(queued);

-- One row per page read: search_words is the page's words lower-cased and space-separated with a space
-- at each end, so a word matches as LIKE '% word %'; words holds each word's box for a PDF's text layer
-- (one per line: line, left, top, width, height, text; tab-separated, in the pixels of an image
-- width x height at x_dpi x y_dpi).
CREATE TABLE received_fax_text (
    fax_id        BIGINT            NOT NULL REFERENCES received_faxes(id) ON DELETE CASCADE,
    page          INT               NOT NULL,
    width         INT               NOT NULL,
    height        INT               NOT NULL,
    x_dpi         DOUBLE PRECISION  NOT NULL,
    y_dpi         DOUBLE PRECISION  NOT NULL,
    search_words  VARCHAR(1000000)  NOT NULL,
    words         VARCHAR(1000000)  NOT NULL,
    PRIMARY KEY (fax_id, page)
);

-- A routing rule may match on words of a fax's page 1: all of content's words must be there.
ALTER TABLE routes ADD COLUMN content VARCHAR(255);
