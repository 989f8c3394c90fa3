-- Retention (history.retention.archive) deletes old archives continuously, in small batches,
-- while new archives are written. PostgreSQL's default (autovacuum_vacuum_scale_factor 0.2)
-- vacuums a table only once a fifth of it is dead rows: on an archive of 100 million chunks,
-- 20 million deleted chunks before their space could be reused, so the table and its indexes
-- would keep growing. Vacuumed after 2% instead, the space retention frees is reused by new
-- archives, and the tables stay about the size of what is kept (the files never shrink;
-- only VACUUM FULL or pg_repack would give space back to the system). The messages are
-- mostly in the chunks' TOAST table, which has settings of its own.
ALTER TABLE session_history_chunk SET (
    autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000,
    autovacuum_analyze_scale_factor = 0.02,
    toast.autovacuum_vacuum_scale_factor = 0.02, toast.autovacuum_vacuum_threshold = 1000
);

ALTER TABLE session_history SET (
    autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000,
    autovacuum_analyze_scale_factor = 0.02
);

ALTER TABLE session_participant SET (
    autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000,
    autovacuum_analyze_scale_factor = 0.02
);
