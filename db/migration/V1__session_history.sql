-- One row per archived session instance. session_id is the idempotency key of archiving:
-- a second attempt for the same instance inserts nothing.
CREATE TABLE session_history (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id    uuid        NOT NULL UNIQUE,
    session_code  text        NOT NULL,
    -- The messages exactly as they were stored in Redis (a JSON array, ascending seq),
    -- served byte for byte by the history endpoint.
    messages_raw  json        NOT NULL,
    -- The same messages as jsonb, for queries. Derived, so the two never disagree.
    messages      jsonb       GENERATED ALWAYS AS (messages_raw::jsonb) STORED,
    message_count int         NOT NULL CHECK (message_count >= 0),
    -- Entries that were not well-formed JSON (from a foreign writer); kept in messages as
    -- {"seq":N,"malformed":true,"raw":"..."} objects, never dropped.
    malformed_count int       NOT NULL DEFAULT 0 CHECK (malformed_count >= 0),
    created_at    timestamptz NOT NULL,
    ended_at      timestamptz NOT NULL,
    archived_at   timestamptz NOT NULL DEFAULT now(),
    end_reason    text        NOT NULL CHECK (end_reason IN ('expired', 'ended')),
    metadata      jsonb
);

-- "The latest archive of a code": codes are reused, so a code alone never identifies an archive.
CREATE INDEX session_history_code_ended_at ON session_history (session_code, ended_at DESC);
