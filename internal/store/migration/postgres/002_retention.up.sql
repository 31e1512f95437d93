-- Retention and deletion: find old batches and flows, and whether any
-- remaining document still refers to a content-addressed blob.
CREATE INDEX batch_created ON batch (created_at);
CREATE INDEX flow_created ON flow (created_at);
CREATE INDEX document_blob ON document (blob_key) WHERE blob_key IS NOT NULL;
CREATE INDEX document_redacted ON document (redacted_key) WHERE redacted_key IS NOT NULL;
