-- How far retention has deleted: archives whose session ended before deleted_before are
-- gone or going. The worker raises it in the transaction of each batch it deletes; the API
-- reads it every second and never serves a cached archive older than it.
CREATE TABLE archive_retention (
    only_row        boolean     PRIMARY KEY DEFAULT true CHECK (only_row),
    deleted_before  timestamptz NOT NULL
);
