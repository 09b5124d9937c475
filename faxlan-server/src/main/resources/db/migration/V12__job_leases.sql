-- Leases: the node that sends a job holds it (owner, and until when) so that another node sharing
-- the database never takes it too; a node that dies leaves leases that expire, and its jobs go back
-- to the queue.
ALTER TABLE jobs ADD COLUMN lease_owner VARCHAR(64);
ALTER TABLE jobs ADD COLUMN lease_expires BIGINT;
