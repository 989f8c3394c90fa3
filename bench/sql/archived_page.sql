-- pgbench script for bench/run.sh: the raw baseline of an archived history read. It reads
-- what the API has to read for a page at best, in one statement: the latest archive of a
-- code, and the chunk(s) of session_history_chunk that hold the page's messages, returned
-- as stored (messages_raw is json: its text, no conversion). Chunks hold at most 128
-- messages, so the chunk holding the page's first seq starts at most 127 seqs before it.
-- Variables (-D): letter (the set's code letter), lo and hi (the code's number is random in
-- lo..hi), after (the cursor seq, or -1 for the latest page), size (messages in the page).
\set n random(:lo, :hi)
SELECT c.messages_raw
FROM (SELECT session_id, message_count FROM session_history
      WHERE session_code = :letter || lpad(CAST(:n AS text), 12, '0')
      ORDER BY ended_at DESC LIMIT 1) h
CROSS JOIN LATERAL (SELECT CASE WHEN :after >= 0 THEN :after + 1
    ELSE greatest(h.message_count - :size + 1, 1) END AS first) p
JOIN session_history_chunk c ON c.session_id = h.session_id
    AND c.first_seq BETWEEN p.first - 127 AND p.first + :size - 1
    AND c.last_seq >= p.first
ORDER BY c.first_seq;
