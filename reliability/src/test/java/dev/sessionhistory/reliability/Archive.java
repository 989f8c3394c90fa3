package dev.sessionhistory.reliability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntPredicate;

/**
 * Reads the {@code session_history} table and its chunks of one scenario's database.
 */
final class Archive {

	private final String jdbcUrl;

	Archive(String jdbcUrl) {
		this.jdbcUrl = jdbcUrl;
	}

	/** Every archived row by session id; a second row of one id is kept in {@code copies}. */
	Map<UUID, Row> rows() {
		return query("");
	}

	/** The archived row of one session instance, or {@code null}. */
	Row row(UUID sessionId) {
		return query(" WHERE h.session_id = '" + sessionId + "'").get(sessionId);
	}

	private Map<UUID, Row> query(String where) {
		// The messages of a row are its chunks' arrays joined in seq order.
		String sql = """
				SELECT h.session_id, h.session_code, h.message_count, h.end_reason,
				       extract(epoch FROM h.archived_at - h.ended_at) AS lag_seconds,
				       count(*) OVER (PARTITION BY h.session_id) AS copies,
				       '[' || coalesce((SELECT string_agg(substr(c.messages_raw::text, 2,
				           length(c.messages_raw::text) - 2), ',' ORDER BY c.first_seq)
				         FROM session_history_chunk c WHERE c.session_id = h.session_id), '') || ']' AS messages_raw
				FROM session_history h
				""" + where;
		Map<UUID, Row> rows = new HashMap<>();
		try (Connection connection = connect(); Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			while (result.next()) {
				UUID id = result.getObject("session_id", UUID.class);
				rows.put(id, new Row(id, result.getString("session_code"), result.getString("messages_raw"),
						result.getInt("message_count"), result.getString("end_reason"),
						result.getDouble("lag_seconds"), result.getInt("copies")));
			}
			return rows;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the archive", ex);
		}
	}

	/** How many rows there are, or -1 while the database does not answer. */
	int count() {
		try (Connection connection = connect(); Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT count(*) FROM session_history")) {
			result.next();
			return result.getInt(1);
		}
		catch (SQLException ex) {
			return -1;
		}
	}

	/**
	 * Polls the row count until {@code done} holds or the time is up.
	 * @return the last count seen
	 */
	int awaitCount(IntPredicate done, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		int count = count();
		while (!done.test(count) && System.nanoTime() < deadline) {
			ServiceProcess.sleep(250);
			count = count();
		}
		return count;
	}

	private Connection connect() throws SQLException {
		return DriverManager.getConnection(this.jdbcUrl, "postgres", "");
	}

	/**
	 * One archived session instance.
	 *
	 * @param sessionId the instance
	 * @param code its code
	 * @param messagesRaw the archived array text
	 * @param messageCount the stored count
	 * @param endReason {@code ended} or {@code expired}
	 * @param lagSeconds archived_at - ended_at
	 * @param copies how many rows hold this session id (the schema allows one)
	 */
	record Row(UUID sessionId, String code, String messagesRaw, int messageCount, String endReason,
			double lagSeconds, int copies) {
	}

}
