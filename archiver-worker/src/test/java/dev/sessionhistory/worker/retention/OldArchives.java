package dev.sessionhistory.worker.retention;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes archives straight into the tables, as the worker would have written them long
 * ago: each with its chunks and two participant rows (owner and a guest), all in one
 * statement, so that they appear together when it commits. Counts what is left of them.
 */
final class OldArchives {

	/** The {@code message_bytes} of each archive written here. */
	static final long BYTES = 100;

	private static final String INSERT = """
			WITH h AS (
			    INSERT INTO session_history (session_id, session_code, message_count, message_bytes,
			        created_at, ended_at, end_reason, owner_id)
			    SELECT gen_random_uuid(), ? || i, 2 * ?, ?, ?::timestamptz - interval '1 hour', ?::timestamptz,
			        'ended', 'owner-' || i
			    FROM generate_series(1, ?) AS i
			    RETURNING session_id, session_code, created_at, ended_at, owner_id),
			c AS (
			    INSERT INTO session_history_chunk (session_id, first_seq, last_seq, messages_raw)
			    SELECT h.session_id, 2 * s - 1, 2 * s, json_build_array(
			        json_build_object('seq', 2 * s - 1, 'body', repeat('x', 200)),
			        json_build_object('seq', 2 * s, 'body', repeat('y', 200)))
			    FROM h, generate_series(1, ?) AS s),
			p AS (
			    INSERT INTO session_participant (session_id, user_id, role, rights, code, created_at, ended_at)
			    SELECT session_id, owner_id, 'owner', 'read,append,end', session_code, created_at, ended_at FROM h
			    UNION ALL
			    SELECT session_id, 'guest', 'participant', 'read', session_code, created_at, ended_at FROM h)
			SELECT session_id FROM h
			""";

	private final JdbcTemplate jdbc;

	OldArchives(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
	}

	/**
	 * Writes {@code count} archives of sessions that ended at {@code endedAt}, each with
	 * {@code chunks} chunks of two messages.
	 * @return their session ids
	 */
	List<UUID> insert(String code, int count, Instant endedAt, int chunks) {
		OffsetDateTime ended = endedAt.atOffset(ZoneOffset.UTC);
		return this.jdbc.queryForList(INSERT, UUID.class, code, chunks, BYTES, ended, ended, count, chunks);
	}

	/** How many of these archives are left. */
	int archives(List<UUID> ids) {
		return count("session_history", ids);
	}

	/** How many chunks of these archives are left. */
	int chunks(List<UUID> ids) {
		return count("session_history_chunk", ids);
	}

	/** How many participant rows of these archives are left. */
	int participants(List<UUID> ids) {
		return count("session_participant", ids);
	}

	private int count(String table, List<UUID> ids) {
		Integer count = this.jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE session_id = ANY(?)",
				Integer.class, (Object) ids.toArray(UUID[]::new));
		return (count != null) ? count : 0;
	}

}
