-- A routing rule may also forward the fax to a number: the rule's mailbox keeps it, and a job sends it on.
CREATE TABLE route_forwards (
    route_id  BIGINT      NOT NULL PRIMARY KEY REFERENCES routes(id) ON DELETE CASCADE,
    number    VARCHAR(64) NOT NULL
);
