-- A job's calls are recognisable at the receiving side: each attempt draws a tag, its calls' SIP
-- Call-IDs begin with it, and a fax received by a node of the cluster records its call's Call-ID and,
-- when the Call-ID is one of ours, its tag. A job whose node died after the receiver stored the fax
-- (before the sender recorded 'done') is then found delivered, instead of being sent a second time.
ALTER TABLE jobs ADD COLUMN call_tag VARCHAR(40);
ALTER TABLE received_faxes ADD COLUMN call_id VARCHAR(255);
ALTER TABLE received_faxes ADD COLUMN call_tag VARCHAR(40);
CREATE INDEX received_faxes_call_tag ON received_faxes(call_tag);
-- One row per answered call: a store retried after its commit's answer was lost (a database restart)
-- finds the row it wrote by the call's Call-ID instead of writing a second one.
CREATE INDEX received_faxes_call_id ON received_faxes(call_id);
