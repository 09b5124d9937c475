-- A received fax is read by OCR once in a cluster: the node that claims it from the queue reads it
-- while its lease lasts (renewed at each page); a node that dies leaves it to another once it expires.
ALTER TABLE received_fax_ocr_queue ADD COLUMN lease_owner VARCHAR(64);
ALTER TABLE received_fax_ocr_queue ADD COLUMN lease_expires BIGINT;
