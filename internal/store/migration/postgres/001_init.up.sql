-- The whole schema of migration/sqlite (001 to 003) in one step, with
-- PostgreSQL's types: timestamptz for times, bytea for hashes and bodies.
-- flow_params, cross_checks and file_data are json, not jsonb: json keeps
-- the text as written (key order included), which callbacks echo and the
-- API returns.

CREATE TABLE client (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    secret_hash        BYTEA NOT NULL,
    aadhaar_last4_only BOOLEAN NOT NULL DEFAULT false,
    -- the key each client's callbacks are signed with; '' until made
    callback_secret    TEXT NOT NULL DEFAULT '',
    created_at         TIMESTAMPTZ NOT NULL
);

-- A flow is one loan application's documents, cross-checked together.
CREATE TABLE flow (
    id                    TEXT PRIMARY KEY,
    client_id             TEXT NOT NULL REFERENCES client (id),
    product_type          TEXT NOT NULL,
    application_id        TEXT NOT NULL,
    external_reference_id TEXT NOT NULL DEFAULT '',
    callback_url          TEXT NOT NULL DEFAULT '',
    auth_url              TEXT NOT NULL DEFAULT '',
    flow_params           JSON NOT NULL DEFAULT '{}',
    cross_checks          JSON,
    -- how many of the flow's documents were finished when cross_checks ran
    cross_checks_docs     INTEGER NOT NULL DEFAULT 0,
    cross_checks_at       TIMESTAMPTZ,
    created_at            TIMESTAMPTZ NOT NULL,
    closed_at             TIMESTAMPTZ
);
-- One open flow per application and reference.
CREATE UNIQUE INDEX flow_open ON flow (client_id, application_id, external_reference_id) WHERE closed_at IS NULL;

CREATE TABLE batch (
    id              TEXT PRIMARY KEY,
    -- insertion order (SQLite's rowid): a flow's documents are listed by
    -- batch in upload order
    n               BIGINT GENERATED ALWAYS AS IDENTITY,
    client_id       TEXT NOT NULL REFERENCES client (id),
    product_type    TEXT NOT NULL,
    document_count  INTEGER NOT NULL,
    idempotency_key TEXT,
    request_hash    BYTEA,
    flow_id         TEXT REFERENCES flow (id),
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX batch_idempotency ON batch (client_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX batch_flow ON batch (flow_id) WHERE flow_id IS NOT NULL;

CREATE TABLE document (
    file_uuid       TEXT PRIMARY KEY,
    batch_id        TEXT NOT NULL REFERENCES batch (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    document_id     TEXT NOT NULL,
    file_url        TEXT NOT NULL,
    submission_mode TEXT,
    status          TEXT NOT NULL,
    document_type   TEXT,
    file_data       JSON,
    error_code      TEXT,
    error_message   TEXT,
    upstream_status INTEGER,
    blob_key        TEXT,
    redacted_key    TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (batch_id, seq)
);
CREATE INDEX document_status ON document (status);

-- A callback is one signed POST to a flow's callback_url, delivered by a
-- job until the receiver answers 2xx; its id is the receiver's
-- de-duplication key.
CREATE TABLE callback (
    id           TEXT PRIMARY KEY,
    -- insertion order: a flow's callbacks are listed oldest first
    n            BIGINT GENERATED ALWAYS AS IDENTITY,
    client_id    TEXT NOT NULL,
    flow_id      TEXT NOT NULL REFERENCES flow (id) ON DELETE CASCADE,
    event        TEXT NOT NULL,
    file_uuid    TEXT,
    url          TEXT NOT NULL,
    body         BYTEA NOT NULL,
    status       TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL,
    delivered_at TIMESTAMPTZ
);
CREATE INDEX callback_flow ON callback (flow_id, n);

CREATE TABLE callback_attempt (
    callback_id TEXT NOT NULL REFERENCES callback (id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    status_code INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    duration_ms BIGINT NOT NULL,
    PRIMARY KEY (callback_id, attempt)
);
