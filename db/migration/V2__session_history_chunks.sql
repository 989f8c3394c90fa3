-- Layout of the archive since version 2: the messages of an archived session are stored in
-- chunks of consecutive seqs (at most 128 messages and about 256 KiB each; a larger message
-- is a chunk of its own), so reading a page costs the chunks it overlaps, whatever the size
-- of the session, and the worker writes a session of any size one bounded window at a time.
CREATE TABLE session_history_chunk (
    session_id    uuid  NOT NULL REFERENCES session_history (session_id) ON DELETE CASCADE,
    first_seq     int   NOT NULL CHECK (first_seq >= 1),
    last_seq      int   NOT NULL,
    -- The messages exactly as they were stored in Redis (a JSON array, ascending seq,
    -- element i has seq first_seq + i), served byte for byte by the history endpoint.
    messages_raw  json  NOT NULL,
    -- The same messages as jsonb, for queries. Derived, so the two never disagree.
    messages      jsonb GENERATED ALWAYS AS (messages_raw::jsonb) STORED,
    PRIMARY KEY (session_id, first_seq),
    CHECK (last_seq >= first_seq)
);

-- The size of the archived messages, for operators ("why is this session so big?").
ALTER TABLE session_history ADD COLUMN message_bytes bigint NOT NULL DEFAULT 0 CHECK (message_bytes >= 0);

-- Existing archives move into chunks of 100 messages, byte for byte: json_array_elements of
-- a json (not jsonb) value returns each element's original text.
INSERT INTO session_history_chunk (session_id, first_seq, last_seq, messages_raw)
SELECT h.session_id, min(m.seq), max(m.seq), ('[' || string_agg(m.message::text, ',' ORDER BY m.seq) || ']')::json
FROM session_history h
CROSS JOIN LATERAL json_array_elements(h.messages_raw) WITH ORDINALITY AS m(message, seq)
GROUP BY h.session_id, (m.seq - 1) / 100;

UPDATE session_history SET message_bytes = octet_length(messages_raw::text);

ALTER TABLE session_history DROP COLUMN messages, DROP COLUMN messages_raw;
