-- Erasure and retention (README, "Retention and erasure").

-- The erasure log: who erased what and when, and why if given, never any erased content.
-- scope 'session': one instance erased wherever it was (at most one row per instance, the
--   proof that it went; the worker's insert of an archive row checks it under the
--   instance's advisory lock, so an erased instance is never archived later).
-- scope 'messages': the messages a user wrote in an instance they only participated in,
--   replaced by tombstones (a user's erasure; one row per instance and user).
-- scope 'user': a user's erasure, the request itself (its instances have rows of their own).
CREATE TABLE session_erasure (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    -- the owner or admin who erased; NULL for a caller without one, in history.security.mode=open
    erased_by     text        CHECK (octet_length(erased_by) BETWEEN 1 AND 256),
    scope         text        NOT NULL CHECK (scope IN ('session', 'messages', 'user')),
    session_code  text,
    session_id    uuid,
    -- the instance's owner, so that repeating an erasure is 204 for them and 404 for others
    owner_id      text,
    -- the user whose data went (scopes 'messages' and 'user')
    user_id       text        CHECK (octet_length(user_id) BETWEEN 1 AND 256),
    -- where the instance was when it was erased: live, ended (waiting for its archive), archived
    found         text        CHECK (found IN ('live', 'ended', 'archived')),
    reason        text        CHECK (octet_length(reason) <= 1000),
    CHECK ((scope = 'user') = (session_id IS NULL)),
    CHECK ((scope = 'session') OR user_id IS NOT NULL)
);

CREATE UNIQUE INDEX session_erasure_instance ON session_erasure (session_id) WHERE scope = 'session';
CREATE UNIQUE INDEX session_erasure_messages ON session_erasure (session_id, user_id) WHERE scope = 'messages';
-- The list, newest first, keyset-paged by (at, id); the API's caches poll it by at.
CREATE INDEX session_erasure_at_id ON session_erasure (at DESC, id DESC);
-- A user's erasures, which the worker checks for the users of each row it archives.
CREATE INDEX session_erasure_user ON session_erasure (user_id, at) WHERE scope = 'user';

-- Bumped by every change to an archive's messages after it was written (a user's
-- erasure): part of the pages' ETag and of the API's cache keys.
ALTER TABLE session_history ADD COLUMN revision integer NOT NULL DEFAULT 0 CHECK (revision >= 0);

-- Retention deletes the archives that ended before a bound, oldest first, in small batches.
CREATE INDEX session_history_ended_at ON session_history (ended_at);
