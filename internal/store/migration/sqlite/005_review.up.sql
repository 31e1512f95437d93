-- Review: where each field was read (JSON, by field name) and reviewers'
-- corrections, one per field (a later one replaces the earlier), gone
-- with their document.
ALTER TABLE document ADD COLUMN boxes TEXT;

CREATE TABLE correction (
    file_uuid TEXT NOT NULL REFERENCES document (file_uuid) ON DELETE CASCADE,
    field     TEXT NOT NULL,
    value     TEXT NOT NULL,
    reviewer  TEXT NOT NULL,
    at        TEXT NOT NULL,
    PRIMARY KEY (file_uuid, field)
);
