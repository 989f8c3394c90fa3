package dev.sessionhistory.worker;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import dev.sessionhistory.worker.SessionWriter.Session;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads {@code session_history} and its chunks for assertions.
 */
public final class ArchiveRows {

	/** The messages of each archive as one JSON array: its chunks' arrays joined in seq order. */
	private static final String JOINED = """
			SELECT h.session_id,
			    '[' || coalesce(string_agg(substr(c.messages_raw::text, 2, length(c.messages_raw::text) - 2), ','
			        ORDER BY c.first_seq), '') || ']' AS messages_raw
			FROM session_history h LEFT JOIN session_history_chunk c USING (session_id)
			""";

	/** The first key of the instances' advisory locks, as the worker and the API take them. */
	private static final int ARCHIVE_LOCK_CLASS = 0x5348;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	public ArchiveRows(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
	}

	public static ArchiveRows connect(String jdbcUrl, String username, String password) {
		return new ArchiveRows(new DriverManagerDataSource(jdbcUrl, username, password));
	}

	public int count(UUID sessionId) {
		Integer count = this.jdbc.queryForObject("SELECT count(*) FROM session_history WHERE session_id = ?",
				Integer.class, sessionId);
		return (count != null) ? count : 0;
	}

	public boolean isArchived(Session session) {
		return count(session.sid()) > 0;
	}

	/** {@code messages_raw} of every row, by session id. */
	public Map<UUID, String> rawMessages() {
		Map<UUID, String> raw = new HashMap<>();
		this.jdbc.query(JOINED + " GROUP BY h.session_id",
				(RowCallbackHandler) (resultSet) -> raw.put(resultSet.getObject(1, UUID.class), resultSet.getString(2)));
		return raw;
	}

	/** How many rows the sessions have, duplicates included. */
	public int count(List<Session> sessions) {
		UUID[] ids = sessions.stream().map(Session::sid).toArray(UUID[]::new);
		Integer count = this.jdbc.queryForObject("SELECT count(*) FROM session_history WHERE session_id = ANY(?)",
				Integer.class, (Object) ids);
		return (count != null) ? count : 0;
	}

	/**
	 * Asserts that every session has exactly one row, holding exactly its acknowledged
	 * messages, byte for byte and in order.
	 */
	public void assertAllArchivedExactly(List<Session> sessions) {
		Map<UUID, String> raw = rawMessages();
		assertThat(count(sessions)).isEqualTo(sessions.size());
		for (Session session : sessions) {
			assertThat(raw.get(session.sid())).as("messages of %s", session.member())
				.isEqualTo("[" + String.join(",", session.acknowledged()) + "]");
		}
	}

	public Map<String, Object> row(UUID sessionId) {
		Map<String, Object> row = this.jdbc.queryForMap("""
				SELECT session_code, message_count, malformed_count, message_bytes, end_reason,
				    metadata::text AS metadata, ended_at, created_at
				FROM session_history WHERE session_id = ?
				""", sessionId);
		row.put("messages_raw", this.jdbc.queryForObject(JOINED + " WHERE h.session_id = ? GROUP BY h.session_id",
				(resultSet, rowNumber) -> resultSet.getString("messages_raw"), sessionId));
		return row;
	}

	/** The owner and token epoch of an archive row. */
	public Map<String, Object> ownership(UUID sessionId) {
		return this.jdbc.queryForMap("SELECT owner_id, token_epoch FROM session_history WHERE session_id = ?",
				sessionId);
	}

	/**
	 * The {@code session_participant} rows of an archive, {@code user_id role rights} each,
	 * after checking that each copies the code and times of its archive row.
	 */
	public List<String> users(UUID sessionId) {
		Integer differing = this.jdbc.queryForObject("""
				SELECT count(*) FROM session_participant p JOIN session_history h USING (session_id)
				WHERE p.session_id = ? AND (p.code, p.created_at, p.ended_at) <> (h.session_code, h.created_at, h.ended_at)
				""", Integer.class, sessionId);
		assertThat(differing).as("participant rows differing from their archive row").isZero();
		return this.jdbc.queryForList("""
				SELECT user_id || ' ' || role || ' ' || rights FROM session_participant
				WHERE session_id = ? ORDER BY role, user_id
				""", String.class, sessionId);
	}

	/** The archived messages, each as its original text (json, not jsonb), in seq order. */
	public List<String> messages(UUID sessionId) {
		return this.jdbc.queryForList("""
				SELECT e::text
				FROM session_history_chunk, json_array_elements(messages_raw) WITH ORDINALITY AS m(e, i)
				WHERE session_id = ? ORDER BY first_seq, i
				""", String.class, sessionId);
	}

	/**
	 * Asserts that the chunks of an archive cover seqs 1 to its message count without gap or
	 * overlap, each holding as many messages as its bounds say and at most {@code maxMessages}.
	 */
	public void assertChunksContiguous(UUID sessionId, int maxMessages) {
		List<Map<String, Object>> chunks = this.jdbc.queryForList("""
				SELECT first_seq, last_seq, json_array_length(messages_raw) AS length
				FROM session_history_chunk WHERE session_id = ? ORDER BY first_seq
				""", sessionId);
		long next = 1;
		for (Map<String, Object> chunk : chunks) {
			int first = (Integer) chunk.get("first_seq");
			int last = (Integer) chunk.get("last_seq");
			assertThat(first).as("first seq of a chunk of %s", sessionId).isEqualTo(next);
			assertThat((Integer) chunk.get("length")).isEqualTo(last - first + 1).isLessThanOrEqualTo(maxMessages);
			next = last + 1L;
		}
		assertThat(next - 1).isEqualTo(((Number) row(sessionId).get("message_count")).longValue());
	}

	/**
	 * Asserts one row for the session holding exactly the acknowledged messages, in order
	 * and byte for byte.
	 */
	public void assertArchivedExactly(Session session, String endReason) {
		assertThat(count(session.sid())).as("rows of %s", session.member()).isEqualTo(1);
		List<String> acknowledged = session.acknowledged();
		assertThat(messages(session.sid())).as("messages of %s", session.member())
			.containsExactlyElementsOf(acknowledged);
		Map<String, Object> row = row(session.sid());
		assertThat(row.get("messages_raw")).isEqualTo("[" + String.join(",", acknowledged) + "]");
		assertThat(row).containsEntry("session_code", session.code())
			.containsEntry("message_count", acknowledged.size())
			.containsEntry("malformed_count", 0)
			.containsEntry("end_reason", endReason);
	}

	/**
	 * Erases an instance in PostgreSQL the way the API does (its erasure contract): under
	 * the instance's advisory lock, log the erasure, then delete its archive row.
	 * @return how many archive rows the erasure deleted
	 */
	public int erase(String code, UUID sessionId) {
		return this.transactions.execute((status) -> {
			this.jdbc.queryForObject("SELECT pg_advisory_xact_lock(?, hashtext(?::text))", Object.class,
					ARCHIVE_LOCK_CLASS, sessionId.toString());
			this.jdbc.update("""
					INSERT INTO session_erasure (scope, session_code, session_id, found)
					VALUES ('session', ?, ?, 'ended') ON CONFLICT DO NOTHING
					""", code, sessionId);
			return this.jdbc.update("DELETE FROM session_history WHERE session_id = ?", sessionId);
		});
	}

	/** Whether some connection holds (or waits for) the advisory lock of an instance's archive. */
	public boolean archiveLockTaken(UUID sessionId) {
		Integer locks = this.jdbc.queryForObject("""
				SELECT count(*) FROM pg_locks
				WHERE locktype = 'advisory' AND classid = ? AND objid = hashtext(?::text)::oid AND objsubid = 2
				""", Integer.class, ARCHIVE_LOCK_CLASS, sessionId.toString());
		return locks != null && locks > 0;
	}

	/** Logs a user's erasure as the API does, {@code ago} before now. */
	public void eraseUser(String userId, java.time.Duration ago) {
		this.jdbc.update("""
				INSERT INTO session_erasure (at, scope, user_id) VALUES (clock_timestamp() - ?::interval, 'user', ?)
				""", ago.toMillis() + " milliseconds", userId);
	}

}
