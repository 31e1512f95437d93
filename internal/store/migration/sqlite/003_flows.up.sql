-- A flow is one loan application's documents, cross-checked together.
CREATE TABLE flow (
    id                    TEXT PRIMARY KEY,
    client_id             TEXT NOT NULL REFERENCES client (id),
    product_type          TEXT NOT NULL,
    application_id        TEXT NOT NULL,
    external_reference_id TEXT NOT NULL DEFAULT '',
    callback_url          TEXT NOT NULL DEFAULT '',
    auth_url              TEXT NOT NULL DEFAULT '',
    flow_params           TEXT NOT NULL DEFAULT '{}',
    cross_checks          TEXT,
    -- how many of the flow's documents were finished when cross_checks ran
    cross_checks_docs     INTEGER NOT NULL DEFAULT 0,
    cross_checks_at       TEXT,
    created_at            TEXT NOT NULL,
    closed_at             TEXT
);
-- One open flow per application and reference.
CREATE UNIQUE INDEX flow_open ON flow (client_id, application_id, external_reference_id) WHERE closed_at IS NULL;

-- A flow's uploads are batches (no foreign key: SQLite cannot drop a
-- referencing column in the down migration; the store checks it).
ALTER TABLE batch ADD COLUMN flow_id TEXT;
CREATE INDEX batch_flow ON batch (flow_id) WHERE flow_id IS NOT NULL;
ALTER TABLE document ADD COLUMN submission_mode TEXT;

-- The key each client's callbacks are signed with.
ALTER TABLE client ADD COLUMN callback_secret TEXT NOT NULL DEFAULT '';

-- A callback is one signed POST to a flow's callback_url, delivered by a
-- job until the receiver answers 2xx; its id is the receiver's
-- de-duplication key.
CREATE TABLE callback (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL,
    flow_id      TEXT NOT NULL REFERENCES flow (id) ON DELETE CASCADE,
    event        TEXT NOT NULL,
    file_uuid    TEXT,
    url          TEXT NOT NULL,
    body         BLOB NOT NULL,
    status       TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    delivered_at TEXT
);
CREATE INDEX callback_flow ON callback (flow_id);

CREATE TABLE callback_attempt (
    callback_id TEXT NOT NULL REFERENCES callback (id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    at          TEXT NOT NULL,
    status_code INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    duration_ms INTEGER NOT NULL,
    PRIMARY KEY (callback_id, attempt)
);
