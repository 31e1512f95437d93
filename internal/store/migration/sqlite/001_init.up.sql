CREATE TABLE client (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    secret_hash BLOB NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE batch (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL REFERENCES client (id),
    product_type    TEXT NOT NULL,
    document_count  INTEGER NOT NULL,
    idempotency_key TEXT,
    request_hash    BLOB,
    created_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX batch_idempotency ON batch (client_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE document (
    file_uuid       TEXT PRIMARY KEY,
    batch_id        TEXT NOT NULL REFERENCES batch (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    document_id     TEXT NOT NULL,
    file_url        TEXT NOT NULL,
    status          TEXT NOT NULL,
    document_type   TEXT,
    file_data       TEXT,
    error_code      TEXT,
    error_message   TEXT,
    upstream_status INTEGER,
    blob_key        TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (batch_id, seq)
);
CREATE INDEX document_status ON document (status);
