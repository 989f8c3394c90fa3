-- What admins read in the Session Gallery: one instance's page and history (action 'read')
-- and its exports ('export'), listed newest first at GET /admin/api/audit. The API writes a
-- row before it answers, and at most one per admin, action and instance in each 10-minute
-- window of the clock (window_start): paging through a long history is one read, not one per
-- page. The instance may be live, so there is no foreign key to session_history, and a row
-- outlives the archive it names.
CREATE TABLE admin_audit (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL,
    window_start  timestamptz NOT NULL,
    -- the admin's user id; NULL for a caller without one, in history.security.mode=open
    admin_id      text        CHECK (octet_length(admin_id) BETWEEN 1 AND 256),
    action        text        NOT NULL CHECK (action IN ('read', 'export')),
    session_code  text        NOT NULL,
    session_id    uuid        NOT NULL
);

-- Once per window, across every replica of the API (its in-memory memory of recent rows only
-- spares the statement); NULLS NOT DISTINCT (PostgreSQL 15) so open mode's rows dedupe too.
CREATE UNIQUE INDEX admin_audit_once_per_window
    ON admin_audit (admin_id, action, session_id, window_start) NULLS NOT DISTINCT;

-- The list, newest first, keyset-paged by (at, id): all rows, one admin's, one code's.
CREATE INDEX admin_audit_at_id ON admin_audit (at DESC, id DESC);
CREATE INDEX admin_audit_admin_at_id ON admin_audit (admin_id, at DESC, id DESC);
CREATE INDEX admin_audit_code_at_id ON admin_audit (session_code, at DESC, id DESC);
