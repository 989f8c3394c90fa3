package dev.sessionhistory.reliability;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Scenario 9's look into the archive's three tables ({@code session_history}, its chunks
 * and participants) and the erasure log, by session id: it writes archives of long ago
 * straight into the tables, as a worker would have written them then, and tells what is
 * left of a set of instances. One connection, kept open (the scenario polls every 10 ms),
 * serves every caller in turn.
 */
final class ArchiveTables implements AutoCloseable {

	/**
	 * Archives of sessions that ended {@code days} days ago, one statement for all (so they
	 * appear together when it commits): each with one chunk of two messages, text that JSON
	 * keeps as written (escapes, non-ASCII), and its owner's participant row.
	 */
	private static final String INSERT_AGED = """
			WITH h AS (
			    INSERT INTO session_history (session_id, session_code, message_count, message_bytes,
			        created_at, ended_at, end_reason, owner_id)
			    SELECT gen_random_uuid(), ? || i, 2, 160, now() - make_interval(days => ?, hours => 1),
			        now() - make_interval(days => ?), 'ended', 'owner-' || i % 50
			    FROM generate_series(1, ?) AS i
			    RETURNING session_id, session_code, created_at, ended_at, owner_id),
			c AS (
			    INSERT INTO session_history_chunk (session_id, first_seq, last_seq, messages_raw)
			    SELECT session_id, 1, 2, ('[{"seq":1,"id":"' || session_code || '-m1","data":{"text":"caf\\u00e9 '
			        || md5(session_code) || '"}},{"seq":2,"id":"' || session_code || '-m2","data":[1.50,-0,"\u65e5"]}]')::json
			    FROM h),
			p AS (
			    INSERT INTO session_participant (session_id, user_id, role, rights, code, created_at, ended_at)
			    SELECT session_id, owner_id, 'owner', 'read,append,end', session_code, created_at, ended_at FROM h)
			SELECT session_id FROM h
			""";

	private static final String LEFT = """
			SELECT (SELECT count(*) FROM session_history WHERE session_id = ANY(?)),
			       (SELECT count(*) FROM session_history_chunk WHERE session_id = ANY(?)),
			       (SELECT count(*) FROM session_participant WHERE session_id = ANY(?))
			""";

	/** Each instance's digest of everything kept of it: its row, its chunks byte for byte, its users. */
	private static final String DIGESTS = """
			SELECT h.session_id, md5(h.session_code || ' ' || h.ended_at || ' ' || h.message_count || ' '
			    || coalesce(h.owner_id, '') || ' ' || h.revision
			    || ' | ' || coalesce((SELECT string_agg(c.first_seq || ' ' || c.last_seq || ' ' || c.messages_raw::text,
			        ',' ORDER BY c.first_seq) FROM session_history_chunk c WHERE c.session_id = h.session_id), '')
			    || ' | ' || coalesce((SELECT string_agg(p.user_id || ' ' || p.role || ' ' || p.rights, ','
			        ORDER BY p.user_id) FROM session_participant p WHERE p.session_id = h.session_id), ''))
			FROM session_history h WHERE h.session_id = ANY(?)
			""";

	private static final String ENDED_BEFORE = """
			SELECT count(*) FROM session_history WHERE ended_at < now() - make_interval(days => ?)
			""";

	private static final String ORPHANS = """
			SELECT (SELECT count(*) FROM session_history_chunk c
			        WHERE NOT EXISTS (SELECT 1 FROM session_history h WHERE h.session_id = c.session_id))
			     + (SELECT count(*) FROM session_participant p
			        WHERE NOT EXISTS (SELECT 1 FROM session_history h WHERE h.session_id = p.session_id))
			""";

	private static final String ARCHIVED = "SELECT session_id FROM session_history WHERE session_id = ANY(?)";

	private static final String LOGGED = """
			SELECT session_id, found, owner_id FROM session_erasure WHERE scope = 'session' AND session_id = ANY(?)
			""";

	private final String jdbcUrl;

	private Connection connection;

	ArchiveTables(String jdbcUrl) {
		this.jdbcUrl = jdbcUrl;
	}

	/**
	 * Writes {@code count} archives of codes {@code codePrefix1…}, ended {@code days} days ago.
	 * @return their session ids
	 */
	List<UUID> insertAged(String codePrefix, int count, int days) {
		return query(INSERT_AGED, (result) -> {
			List<UUID> ids = new ArrayList<>();
			while (result.next()) {
				ids.add(result.getObject(1, UUID.class));
			}
			return ids;
		}, codePrefix, days, days, count);
	}

	/** What is left of the instances in each table. */
	Left left(Collection<UUID> ids) {
		return withIds(LEFT, 3, ids, (result) -> {
			result.next();
			return new Left(result.getInt(1), result.getInt(2), result.getInt(3));
		});
	}

	/** Each instance's digest of everything kept of it, for those that have an archive row. */
	Map<UUID, String> digests(Collection<UUID> ids) {
		return withIds(DIGESTS, 1, ids, (result) -> {
			Map<UUID, String> digests = new HashMap<>();
			while (result.next()) {
				digests.put(result.getObject(1, UUID.class), result.getString(2));
			}
			return digests;
		});
	}

	/** Archives whose session ended more than {@code days} days ago. */
	int endedBefore(int days) {
		return query(ENDED_BEFORE, (result) -> {
			result.next();
			return result.getInt(1);
		}, days);
	}

	/** Chunks and participant rows without their archive row. */
	int orphans() {
		return query(ORPHANS, (result) -> {
			result.next();
			return result.getInt(1);
		});
	}

	/** Those of the instances that have an archive row. */
	List<UUID> archived(Collection<UUID> ids) {
		return withIds(ARCHIVED, 1, ids, (result) -> {
			List<UUID> archived = new ArrayList<>();
			while (result.next()) {
				archived.add(result.getObject(1, UUID.class));
			}
			return archived;
		});
	}

	/** The erasure log's rows of the instances (scope {@code session}), by session id. */
	Map<UUID, Logged> erasureLog(Collection<UUID> ids) {
		return withIds(LOGGED, 1, ids, (result) -> {
			Map<UUID, Logged> logged = new HashMap<>();
			while (result.next()) {
				logged.put(result.getObject("session_id", UUID.class),
						new Logged(result.getString("found"), result.getString("owner_id")));
			}
			return logged;
		});
	}

	/** Runs {@code sql} with the id array as each of its {@code uses} parameters. */
	private synchronized <T> T withIds(String sql, int uses, Collection<UUID> ids, Reader<T> reader) {
		try {
			Array array = connection().createArrayOf("uuid", ids.toArray(UUID[]::new));
			Object[] params = new Object[uses];
			Arrays.fill(params, array);
			return run(sql, reader, params);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the archive", ex);
		}
	}

	private synchronized <T> T query(String sql, Reader<T> reader, Object... params) {
		try {
			return run(sql, reader, params);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not query the archive", ex);
		}
	}

	private <T> T run(String sql, Reader<T> reader, Object... params) throws SQLException {
		try (PreparedStatement statement = connection().prepareStatement(sql)) {
			for (int i = 0; i < params.length; i++) {
				statement.setObject(i + 1, params[i]);
			}
			try (ResultSet result = statement.executeQuery()) {
				return reader.read(result);
			}
		}
	}

	private Connection connection() throws SQLException {
		if (this.connection == null || this.connection.isClosed()) {
			this.connection = DriverManager.getConnection(this.jdbcUrl, "postgres", "");
		}
		return this.connection;
	}

	@Override
	public synchronized void close() throws SQLException {
		if (this.connection != null) {
			this.connection.close();
		}
	}

	@FunctionalInterface
	private interface Reader<T> {

		T read(ResultSet result) throws SQLException;

	}

	/**
	 * What is left of some instances.
	 *
	 * @param archives archive rows
	 * @param chunks their chunks
	 * @param participants their participant rows
	 */
	record Left(int archives, int chunks, int participants) {

		int total() {
			return this.archives + this.chunks + this.participants;
		}

		@Override
		public String toString() {
			return this.archives + " archives, " + this.chunks + " chunks, " + this.participants + " participants";
		}

	}

	/**
	 * An instance's row in the erasure log.
	 *
	 * @param found where the API found it: {@code live}, {@code ended} or {@code archived}
	 * @param owner its owner
	 */
	record Logged(String found, String owner) {
	}

}
