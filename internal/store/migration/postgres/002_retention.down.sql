DROP INDEX document_redacted;
DROP INDEX document_blob;
DROP INDEX flow_created;
DROP INDEX batch_created;
