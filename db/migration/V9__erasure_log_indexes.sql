-- The filters of the erasure log's list (GET /admin/api/erasures), which pages the log newest
-- first by (at, id) (session_erasure_at_id, migration 7): each filter is a range of one of
-- these, the keyset position included. The log is written rarely (one row per erasure), so
-- the indexes cost its writes nothing that matters.

-- Who erased: erasedBy.
CREATE INDEX session_erasure_erased_by_at_id ON session_erasure (erased_by, at DESC, id DESC);

-- Whose data went: userId matches the user of a user's erasure or of their messages'
-- (user_id) or the owner of an erased session (owner_id), a bitmap of both indexes.
CREATE INDEX session_erasure_user_at_id ON session_erasure (user_id, at DESC, id DESC);
CREATE INDEX session_erasure_owner_at_id ON session_erasure (owner_id, at DESC, id DESC);

-- One code's erasures: code.
CREATE INDEX session_erasure_code_at_id ON session_erasure (session_code, at DESC, id DESC);
