package dev.sessionhistory.api.archive;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The statements of erasures on the archive ({@code session_history} and the tables that
 * cascade from it), run in the caller's transaction under the instance's advisory lock
 * ({@link #lock}), which the worker inserts under too (archiver-worker's
 * {@code ArchiveTable}): an erasure waits for an insert in flight, and an insert that comes
 * after it finds its row in the erasure log.
 */
@Repository
public class ArchiveErasures {

	/** The first keys of the instances' advisory locks and of the user erasures' barrier ("SH", "SI"). */
	static final int LOCK_CLASS = 0x5348;

	static final int BARRIER_CLASS = 0x5349;

	/**
	 * How long a lock may be waited for: the worker holds an instance's lock while it writes
	 * its archive, a few seconds for the largest; past this the caller gets a 503 to retry.
	 */
	static final String LOCK_TIMEOUT = "SET LOCAL lock_timeout = '10s'";

	static final String LOCK_INSTANCE = "SELECT pg_advisory_xact_lock(%d, hashtext(?::text))".formatted(LOCK_CLASS);

	/** Waits for every archive insert in flight: they hold the barrier shared. */
	static final String BARRIER = "SELECT pg_advisory_xact_lock(%d, 0)".formatted(BARRIER_CLASS);

	/** Deletes one archive; its chunks and users go with it ({@code ON DELETE CASCADE}). */
	static final String DELETE = "DELETE FROM session_history WHERE session_id = ?";

	/**
	 * Replaces the messages of one user in one archive by tombstones at their seqs (element
	 * i of a chunk has seq first_seq + i), only in the chunks that hold one; each element's
	 * text is kept as it is ({@code json_array_elements} of a {@code json} value).
	 */
	static final String REDACT_CHUNKS = """
			WITH rewritten AS (
			    SELECT c.first_seq,
			        '[' || string_agg(CASE WHEN e.value::jsonb ->> 'userId' = ?
			            THEN '{"seq":' || (c.first_seq + e.ord - 1) || ',"erased":true}' ELSE e.value::text END,
			            ',' ORDER BY e.ord) || ']' AS raw,
			        count(*) FILTER (WHERE e.value::jsonb ->> 'userId' = ?) AS erased
			    FROM session_history_chunk c, json_array_elements(c.messages_raw) WITH ORDINALITY AS e(value, ord)
			    WHERE c.session_id = ? AND c.messages @> jsonb_build_array(jsonb_build_object('userId', ?::text))
			    GROUP BY c.first_seq
			)
			UPDATE session_history_chunk c SET messages_raw = r.raw::json
			FROM rewritten r
			WHERE c.session_id = ? AND c.first_seq = r.first_seq
			RETURNING r.erased
			""";

	/** A rewritten archive's revision goes up, so its pages' validators change. */
	static final String NEW_REVISION = "UPDATE session_history SET revision = revision + 1 WHERE session_id = ?";

	static final String DELETE_PARTICIPANT = """
			DELETE FROM session_participant WHERE session_id = ? AND user_id = ? AND role = 'participant'
			""";

	private final JdbcClient jdbc;

	ArchiveErasures(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Takes the instance's advisory lock for the rest of the caller's transaction, after
	 * which no archive of it is being inserted.
	 */
	public void lock(UUID sessionId) {
		this.jdbc.sql(LOCK_TIMEOUT).update();
		this.jdbc.sql(LOCK_INSTANCE).param(sessionId.toString()).query().singleRow();
	}

	/**
	 * Waits, in a transaction of the caller's own, until every archive insert that began
	 * before it has committed or rolled back.
	 */
	public void awaitInsertsInFlight() {
		this.jdbc.sql(LOCK_TIMEOUT).update();
		this.jdbc.sql(BARRIER).query().singleRow();
	}

	/**
	 * Deletes an instance's archive with its chunks and users, under {@link #lock}.
	 * @return whether there was one
	 */
	public boolean delete(UUID sessionId) {
		return this.jdbc.sql(DELETE).param(sessionId).update() > 0;
	}

	/**
	 * Erases one user's messages from an archive (tombstones at their seqs) and the user
	 * from its participants, under {@link #lock}.
	 * @return how many messages were erased
	 */
	public long redact(UUID sessionId, String userId) {
		long erased = this.jdbc.sql(REDACT_CHUNKS)
			.params(userId, userId, sessionId, userId, sessionId)
			.query((rs, row) -> rs.getLong(1))
			.list()
			.stream()
			.mapToLong(Long::longValue)
			.sum();
		if (erased > 0) {
			this.jdbc.sql(NEW_REVISION).param(sessionId).update();
		}
		this.jdbc.sql(DELETE_PARTICIPANT).params(sessionId, userId).update();
		return erased;
	}

}
