-- The index of the Session Gallery's overview (GET /admin/api/gallery/overview): the archives
-- of each of the last 30 days by archived_at, with their message counts, and the archive lag
-- (archived_at - ended_at) of the last hour's, all read from the index alone (an index-only
-- scan where the visibility map allows it), never from the table's rows.
CREATE INDEX session_history_archived_at ON session_history (archived_at) INCLUDE (message_count, ended_at);
