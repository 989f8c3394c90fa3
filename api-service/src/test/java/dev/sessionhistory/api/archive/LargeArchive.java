package dev.sessionhistory.api.archive;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A large archive made by PostgreSQL itself in one statement: a row and its chunks of
 * {@code perChunk} messages of exactly {@code messageBytes} bytes each, as the archiver
 * cuts messages of that size (16 of 16 KiB make its 256 KiB). Message {@code seq} is
 * {@code {"seq":…,"id":"m…",…,"data":"…"}}, its data a repeated MD5 of the seq.
 */
final class LargeArchive {

	private LargeArchive() {
	}

	static void insert(JdbcClient jdbc, UUID sessionId, String code, int count, int messageBytes, int perChunk) {
		jdbc.sql("""
				WITH archived AS (
				    INSERT INTO session_history (session_id, session_code, message_count, message_bytes, created_at,
				        ended_at, end_reason)
				    VALUES (?, ?, ?, ?, now() - interval '1 hour', now(), 'ended')
				    RETURNING session_id
				),
				message AS (
				    SELECT s AS seq, format('{"seq":%s,"id":"m%s","sentAt":"2026-11-24T10:00:00.000Z","sender":"s","type":"chat","data":"', s, s) AS head
				    FROM generate_series(1, ?) AS s
				)
				INSERT INTO session_history_chunk (session_id, first_seq, last_seq, messages_raw)
				SELECT archived.session_id, min(seq), max(seq),
				       ('[' || string_agg(head || substr(repeat(md5(seq::text), ? / 32 + 1), 1, ? - length(head) - 2) || '"}',
				           ',' ORDER BY seq) || ']')::json
				FROM archived, message
				GROUP BY archived.session_id, (seq - 1) / ?
				""")
			.params(sessionId, code, count, (long) count * messageBytes, count, messageBytes, messageBytes, perChunk)
			.update();
	}

}
