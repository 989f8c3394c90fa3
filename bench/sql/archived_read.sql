-- pgbench script for bench/run.sh: the raw baseline of the archived history read.
-- Selects the latest archive of a random fixture code (A + 12 digits) and returns messages (jsonb).
\set n random(0, :sessions - 1)
SELECT messages FROM session_history WHERE session_code = 'A' || lpad(CAST(:n AS text), 12, '0') ORDER BY ended_at DESC LIMIT 1;
