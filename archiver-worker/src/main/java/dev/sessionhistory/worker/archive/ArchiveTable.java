package dev.sessionhistory.worker.archive;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.sessionhistory.model.RedisKeys.SessionRef;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import static dev.sessionhistory.worker.archive.JdbcSupport.array;
import static dev.sessionhistory.worker.archive.JdbcSupport.prepare;

/**
 * The worker's one owner of the columns and statements of {@code session_history},
 * {@code session_history_chunk} and {@code session_participant}. A row already in the
 * table is this instance's archive only if it describes the same instance (code, creation
 * time, message count): a foreign writer that reused a session id gets a
 * {@link Result#CONFLICT}. Transactions are the caller's ({@link ArchiveWriter}).
 */
@Component
class ArchiveTable {

	/** The first key of the instances' advisory locks, shared with the API ("SH"). */
	static final int LOCK_CLASS = 0x5348;

	/** The first key of the user erasures' barrier, shared with the API. */
	static final int BARRIER_CLASS = 0x5349;

	// Arrays as parameters: one statement and one round trip for any batch size.
	private static final String INSERT_SESSIONS = """
			INSERT INTO session_history (session_id, session_code, message_count, malformed_count, message_bytes,
			    created_at, ended_at, end_reason, metadata, owner_id, token_epoch)
			SELECT r.session_id, r.code, r.message_count, r.malformed_count, r.message_bytes,
			    timestamptz 'epoch' + r.created_ms * interval '1 millisecond',
			    timestamptz 'epoch' + r.ended_ms * interval '1 millisecond',
			    r.end_reason, r.metadata::jsonb, r.owner_id, r.token_epoch
			FROM unnest(?::uuid[], ?::text[], ?::int[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[],
			    ?::text[], ?::text[], ?::int[]) AS r(session_id, code, message_count, malformed_count, message_bytes,
			    created_ms, ended_ms, end_reason, metadata, owner_id, token_epoch)
			WHERE NOT EXISTS (SELECT 1 FROM session_erasure e WHERE e.session_id = r.session_id AND e.scope = 'session')
			ON CONFLICT (session_id) DO NOTHING
			RETURNING session_id
			""";

	private static final String INSERT_CHUNKS = """
			INSERT INTO session_history_chunk (session_id, first_seq, last_seq, messages_raw)
			SELECT c.session_id, c.first_seq, c.last_seq, c.messages::json
			FROM unnest(?::uuid[], ?::int[], ?::int[], ?::text[]) AS c(session_id, first_seq, last_seq, messages)
			""";

	// Code and times copied from the archive row; a retried write inserts nothing twice.
	private static final String INSERT_USERS = """
			INSERT INTO session_participant (session_id, user_id, role, rights, code, created_at, ended_at)
			SELECT u.session_id, u.user_id, u.role, u.rights, h.session_code, h.created_at, h.ended_at
			FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[]) AS u(session_id, user_id, role, rights)
			JOIN session_history h USING (session_id)
			ON CONFLICT (user_id, session_id) DO NOTHING
			""";

	private static final String RAISE_EPOCHS = """
			UPDATE session_history h SET token_epoch = e.token_epoch
			FROM unnest(?::uuid[], ?::int[]) AS e(session_id, token_epoch)
			WHERE h.session_id = e.session_id AND h.token_epoch < e.token_epoch
			""";

	/**
	 * The advisory locks of instances, taken in one order (so two holders never deadlock)
	 * and held to the end of the transaction. The API's erasure takes the same lock before
	 * it logs and deletes, so an insert and an erasure of one instance never interleave: the
	 * erasure waits for the commit and deletes the row, or the insert, run after the erasure
	 * committed, sees its log row and inserts nothing. Keys: {@value #LOCK_CLASS} and the
	 * hash of the session id (a collision only makes two instances wait for each other).
	 * First, the shared barrier ({@value #BARRIER_CLASS}, 0) that a user's erasure takes
	 * exclusively once its log row committed, to wait for the inserts that began before it
	 * and may not have seen the row.
	 */
	private static final String LOCK_INSTANCES = """
			SELECT pg_advisory_xact_lock_shared(%d, 0),
			    (SELECT count(pg_advisory_xact_lock(%d, k))
			     FROM (SELECT DISTINCT hashtext(id::text) AS k FROM unnest(?::uuid[]) AS id ORDER BY k) AS keys)
			""".formatted(BARRIER_CLASS, LOCK_CLASS);

	/** The latest erasure of each of some users, in epoch milliseconds. */
	private static final String ERASED_USERS = """
			SELECT user_id, (extract(epoch FROM max(at)) * 1000)::bigint AS at_ms
			FROM session_erasure WHERE scope = 'user' AND user_id = ANY(?::text[])
			GROUP BY user_id
			""";

	private static final String ERASED = """
			SELECT session_id FROM session_erasure WHERE scope = 'session' AND session_id = ANY(?::uuid[])
			""";

	private static final String EXISTING = """
			SELECT session_id, session_code, message_count,
			    (extract(epoch FROM created_at) * 1000)::bigint AS created_ms
			FROM session_history WHERE session_id = ANY(?::uuid[])
			""";

	private static final String CHECK_JSONB = "SELECT CAST(? AS jsonb) IS NOT NULL";

	private static final String UPDATE_TOTALS = """
			UPDATE session_history SET message_count = ?, malformed_count = ?, message_bytes = ? WHERE session_id = ?
			""";

	private final JdbcTemplate jdbc;

	ArchiveTable(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** What became of one row. */
	enum Result {

		/** This call committed it. */
		INSERTED,

		/** An earlier attempt did: the same instance is in the table. */
		ALREADY,

		/** Another instance with the same session id is in the table. */
		CONFLICT,

		/** PostgreSQL refused its values even after wrapping them. */
		REFUSED,

		/** The instance was erased: it is never archived, and its data in Redis may go. */
		ERASED

	}

	/**
	 * Takes the barrier and the instances' advisory locks for the rest of the transaction;
	 * before {@link #insertSessions} and {@link #erasedUsers}.
	 */
	void lock(List<ArchiveRow> rows) {
		UUID[] all = rows.stream().map((row) -> row.ref().sessionId()).toArray(UUID[]::new);
		this.jdbc.queryForMap(LOCK_INSTANCES, (Object) all);
	}

	/** The users of the rows whose data a user's erasure erased, with when. */
	ErasedUsers erasedUsers(List<ArchiveRow> rows) {
		String[] users = rows.stream()
			.flatMap((row) -> row.users().stream())
			.map(ArchiveRow.User::userId)
			.distinct()
			.toArray(String[]::new);
		Map<String, Long> erased = new HashMap<>();
		if (users.length > 0) {
			this.jdbc.query(ERASED_USERS, (resultSet) -> {
				erased.put(resultSet.getString("user_id"), resultSet.getLong("at_ms"));
			}, (Object) users);
		}
		return new ErasedUsers(erased);
	}

	/**
	 * Inserts the session rows, each once, none of an erased instance, and tells each
	 * instance's result. Run under {@link #lock}.
	 */
	Map<SessionRef, Result> insertSessions(List<ArchiveRow> rows) {
		Set<UUID> inserted = new HashSet<>(this.jdbc.query((connection) -> prepareSessions(connection, rows),
				(resultSet, rowNumber) -> resultSet.getObject(1, UUID.class)));
		Map<SessionRef, Result> results = new HashMap<>();
		List<ArchiveRow> existing = new ArrayList<>();
		for (ArchiveRow row : rows) {
			if (inserted.contains(row.ref().sessionId())) {
				results.put(row.ref(), Result.INSERTED);
			}
			else {
				existing.add(row);
			}
		}
		if (!existing.isEmpty()) {
			compareExisting(existing, results);
		}
		return results;
	}

	private void compareExisting(List<ArchiveRow> rows, Map<SessionRef, Result> results) {
		Map<UUID, Stored> stored = new HashMap<>();
		UUID[] ids = rows.stream().map((row) -> row.ref().sessionId()).toArray(UUID[]::new);
		Set<UUID> erased = new HashSet<>(
				this.jdbc.queryForList(ERASED, UUID.class, (Object) ids));
		this.jdbc.query(EXISTING, (resultSet) -> {
			stored.put(resultSet.getObject("session_id", UUID.class), new Stored(resultSet.getString("session_code"),
					resultSet.getLong("message_count"), resultSet.getLong("created_ms")));
		}, (Object) ids);
		for (ArchiveRow row : rows) {
			if (erased.contains(row.ref().sessionId())) {
				results.put(row.ref(), Result.ERASED);
				continue;
			}
			Stored other = stored.get(row.ref().sessionId());
			boolean same = other != null && other.code().equals(row.ref().code())
					&& other.createdMillis() == row.meta().createdAt().toEpochMilli()
					&& other.messageCount() == row.expectedCount();
			results.put(row.ref(), same ? Result.ALREADY : Result.CONFLICT);
		}
	}

	private record Stored(String code, long messageCount, long createdMillis) {
	}

	void insertChunks(List<UUID> ids, List<ArchiveChunk> chunks) {
		if (chunks.isEmpty()) {
			return;
		}
		this.jdbc.update((connection) -> prepare(connection, INSERT_CHUNKS,
				connection.createArrayOf("uuid", ids.toArray(UUID[]::new)),
				array(connection, "int4", chunks, (chunk) -> (int) chunk.firstSeq(), Integer[]::new),
				array(connection, "int4", chunks, (chunk) -> (int) chunk.lastSeq(), Integer[]::new),
				array(connection, "text", chunks, ArchiveChunk::json, String[]::new)));
	}

	/** Inserts the owner and participants of rows inserted in this transaction, each once. */
	void insertUsers(List<ArchiveRow> rows) {
		List<ArchiveRow.User> users = rows.stream().flatMap((row) -> row.users().stream()).toList();
		if (!users.isEmpty()) {
			this.jdbc.update((connection) -> prepare(connection, INSERT_USERS,
					array(connection, "uuid", users, ArchiveRow.User::sessionId, UUID[]::new),
					array(connection, "text", users, ArchiveRow.User::userId, String[]::new),
					array(connection, "text", users, ArchiveRow.User::role, String[]::new),
					array(connection, "text", users, ArchiveRow.User::rights, String[]::new)));
		}
	}

	/** Raises the token epochs of archive rows to those given where they are larger. */
	void raiseEpochs(Map<UUID, Integer> epochs) {
		if (epochs.isEmpty()) {
			return;
		}
		List<UUID> ids = new ArrayList<>(epochs.keySet());
		this.jdbc.update(RAISE_EPOCHS, ids.toArray(UUID[]::new), ids.stream().map(epochs::get).toArray(Integer[]::new));
	}

	/** Completes a row written before its chunks, once their totals are known. */
	void updateTotals(SessionRef ref, long messageCount, int malformed, long bytes) {
		this.jdbc.update(UPDATE_TOTALS, messageCount, malformed, bytes, ref.sessionId());
	}

	/** Whether PostgreSQL's jsonb accepts {@code json} ({@code null} counts as accepted). */
	boolean castsToJsonb(String json) {
		if (json == null) {
			return true;
		}
		try {
			return Boolean.TRUE.equals(this.jdbc.queryForObject(CHECK_JSONB, Boolean.class, json));
		}
		catch (DataAccessException ex) {
			if (JdbcSupport.isDataError(ex)) {
				return false;
			}
			throw ex;
		}
	}

	private static PreparedStatement prepareSessions(Connection connection, List<ArchiveRow> rows) throws SQLException {
		return prepare(connection, INSERT_SESSIONS,
				array(connection, "uuid", rows, (row) -> row.ref().sessionId(), UUID[]::new),
				array(connection, "text", rows, (row) -> row.ref().code(), String[]::new),
				array(connection, "int4", rows, (row) -> (int) row.messageCount(), Integer[]::new),
				array(connection, "int4", rows, ArchiveRow::malformed, Integer[]::new),
				array(connection, "int8", rows, (row) -> (row.meta().bytes() > 0) ? row.meta().bytes() : row.bytes(),
						Long[]::new),
				array(connection, "int8", rows, (row) -> row.meta().createdAt().toEpochMilli(), Long[]::new),
				array(connection, "int8", rows, (row) -> row.meta().effectiveEndedAt().toEpochMilli(), Long[]::new),
				array(connection, "text", rows, (row) -> row.meta().effectiveEndReason(), String[]::new),
				array(connection, "text", rows, ArchiveRow::metadata, String[]::new),
				array(connection, "text", rows, (row) -> row.meta().owner().orElse(null), String[]::new),
				array(connection, "int4", rows, (row) -> (int) row.meta().tokenEpoch(), Integer[]::new));
	}

}
