-- The Session Gallery's fixture: :archives archived sessions (psql -v archives=N) of the
-- last 90 days, generated in PostgreSQL itself, with realistic codes (6 characters of the
-- API's alphabet, starting with Q; the other sets' codes have 13), owners (50,000 users),
-- one participant each besides the owner, lengths of a few seconds to an hour, 30 % expired,
-- and message counts of 0 to 499 (the stored messages are left out: the list queries never
-- read them), each archived 1 to 20 seconds after its end (the newest end, and are
-- archived, up to an hour from now), so the overview's days hold about 11,000 each. The
-- users' rows copy created_at and ended_at, as the worker writes them.
INSERT INTO session_history (session_id, session_code, message_count, message_bytes, created_at, ended_at,
    archived_at, end_reason, owner_id)
SELECT gen_random_uuid(),
       'Q' || translate(substr(md5(i::text), 1, 5), '0123456789abcdef', 'ABCDEFGHJKLMNPQR'),
       (i::bigint * 7919) % 500,
       ((i::bigint * 7919) % 500) * 220,
       now() - interval '90 days' * (i::float8 / :archives),
       now() - interval '90 days' * (i::float8 / :archives) + interval '1 second' * (5 + (i * 31) % 3600),
       now() - interval '90 days' * (i::float8 / :archives) + interval '1 second' * (5 + (i * 31) % 3600 + 1 + i % 20),
       CASE WHEN i % 10 < 3 THEN 'expired' ELSE 'ended' END,
       'user-' || (i % 50000)
FROM generate_series(1, :archives) AS i;

INSERT INTO session_participant (session_id, user_id, role, rights, code, created_at, ended_at)
SELECT session_id, owner_id, 'owner', 'read,append,end', session_code, created_at, ended_at
FROM session_history WHERE length(session_code) = 6 AND session_code LIKE 'Q%';

INSERT INTO session_participant (session_id, user_id, role, rights, code, created_at, ended_at)
SELECT session_id, 'user-' || (50000 + (id * 7) % 50000), 'participant', 'read,append', session_code, created_at,
       ended_at
FROM session_history WHERE length(session_code) = 6 AND session_code LIKE 'Q%';
