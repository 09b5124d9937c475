-- The SHA-256 of the request (operation and canonical body) a stored response answers: a key reused
-- for another request is refused instead of answered with the first request's response.
-- Rows stored before this column existed have none and are answered by operation alone, as before.
ALTER TABLE idempotency ADD COLUMN request_sha256 BYTEA;
