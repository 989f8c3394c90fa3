-- pgbench script for bench/run.sh: the Session Gallery overview's statement of the days
-- (ArchiveActivity.DAYS) over its 30 days at once, as it runs when none of the API's caches
-- holds them (it reads the past days again every 10 minutes, in the background).
-- Variables (-D): first and last, the first day and today (YYYY-MM-DD, UTC).
SELECT d.day::date AS day, s.sessions, s.messages
FROM generate_series(CAST(:first AS timestamp), CAST(:last AS timestamp), interval '1 day') AS d(day)
CROSS JOIN LATERAL (
    SELECT count(*) AS sessions, coalesce(sum(message_count), 0) AS messages
    FROM session_history
    WHERE archived_at >= d.day AT TIME ZONE 'UTC' AND archived_at < (d.day + interval '1 day') AT TIME ZONE 'UTC'
) s
ORDER BY d.day;
