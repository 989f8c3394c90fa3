package dev.sessionhistory.worker.archive;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.sessionhistory.model.RedisKeys.SessionRef;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one writer of {@code session_history} and {@code session_history_chunk}. A session
 * row and its chunks commit together, so a row never exists without its messages. A row
 * already in the table is this instance's archive only if it describes the same instance
 * (code, creation time, message count): a foreign writer that reused a session id gets a
 * {@link Result#CONFLICT}, and the instance's data stays in Redis.
 */
@Component
class ArchiveWriter {

	private static final Log logger = LogFactory.getLog(ArchiveWriter.class);

	// Arrays as parameters: one statement and one round trip for any batch size.
	private static final String INSERT_SESSIONS = """
			INSERT INTO session_history (session_id, session_code, message_count, malformed_count, message_bytes,
			    created_at, ended_at, end_reason, metadata)
			SELECT r.session_id, r.code, r.message_count, r.malformed_count, r.message_bytes,
			    timestamptz 'epoch' + r.created_ms * interval '1 millisecond',
			    timestamptz 'epoch' + r.ended_ms * interval '1 millisecond',
			    r.end_reason, r.metadata::jsonb
			FROM unnest(?::uuid[], ?::text[], ?::int[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[],
			    ?::text[]) AS r(session_id, code, message_count, malformed_count, message_bytes, created_ms, ended_ms,
			    end_reason, metadata)
			ON CONFLICT (session_id) DO NOTHING
			RETURNING session_id
			""";

	private static final String INSERT_CHUNKS = """
			INSERT INTO session_history_chunk (session_id, first_seq, last_seq, messages_raw)
			SELECT c.session_id, c.first_seq, c.last_seq, c.messages::json
			FROM unnest(?::uuid[], ?::int[], ?::int[], ?::text[]) AS c(session_id, first_seq, last_seq, messages)
			""";

	private static final String EXISTING = """
			SELECT session_id, session_code, message_count,
			    (extract(epoch FROM created_at) * 1000)::bigint AS created_ms
			FROM session_history WHERE session_id = ANY(?::uuid[])
			""";

	private static final String CHECK_JSONB = "SELECT CAST(? AS jsonb) IS NOT NULL";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	ArchiveWriter(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.transactions = new TransactionTemplate(transactionManager);
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
		REFUSED

	}

	/** Reads the next chunk of a session being written, or {@code null} after the last. */
	@FunctionalInterface
	interface ChunkSource {

		ArchiveChunk read(long firstSeq);

	}

	/**
	 * Writes rows whose chunks are all in memory: one transaction for all; one per row when
	 * the batch holds a value PostgreSQL refuses, so a bad row cannot block the others.
	 * @throws DataAccessException when the database cannot be used at all
	 */
	Map<ArchiveRow, Result> insert(List<ArchiveRow> rows) {
		try {
			return this.transactions.execute((status) -> insertAll(rows));
		}
		catch (DataAccessException ex) {
			if (!isDataError(ex)) {
				throw ex;
			}
			logger.warn("A batch of " + rows.size() + " archive rows was refused (" + ex.getMostSpecificCause()
					+ "); inserting them one by one");
		}
		Map<ArchiveRow, Result> results = new LinkedHashMap<>();
		for (ArchiveRow row : rows) {
			insertOne(row, results);
		}
		return results;
	}

	/**
	 * Writes one session whose messages are read window by window while it is written, so
	 * a session of any size is archived in bounded memory. If PostgreSQL refuses a value,
	 * the session is written again with every chunk checked first.
	 * @param header the row without chunks
	 * @param source the windows of its messages
	 * @return the result, with the totals of the chunks written
	 */
	Streamed insertStreamed(ArchiveRow header, ChunkSource source) {
		try {
			return this.transactions.execute((status) -> stream(header, source, false));
		}
		catch (DataAccessException ex) {
			if (!isDataError(ex)) {
				throw ex;
			}
			logger.warn("Archive of " + header.ref().member() + " was refused (" + ex.getMostSpecificCause()
					+ "); writing it again, wrapping the values PostgreSQL refuses");
		}
		try {
			return this.transactions.execute((status) -> stream(header, source, true));
		}
		catch (DataAccessException ex) {
			if (!isDataError(ex)) {
				throw ex;
			}
			logger.error("Archive of " + header.ref().member() + " was refused again, its data stays in Redis: "
					+ ex.getMostSpecificCause());
			return new Streamed(Result.REFUSED, 0, 0);
		}
	}

	/**
	 * @param result what became of the row
	 * @param messageCount how many messages it holds
	 * @param malformed how many of them were wrapped
	 */
	record Streamed(Result result, long messageCount, int malformed) {
	}

	private Streamed stream(ArchiveRow header, ChunkSource source, boolean salvage) {
		// The totals are known only at the end: insert the row first, complete it last.
		ArchiveRow row = salvage ? header.with(List.of(), !castsToJsonb(header.metadata())) : header;
		Map<SessionRef, Result> results = insertSessions(List.of(row));
		Result result = results.get(header.ref());
		if (result != Result.INSERTED) {
			return new Streamed(result, 0, 0);
		}
		long next = 1;
		long bytes = 0;
		int malformed = 0;
		for (ArchiveChunk chunk = source.read(next); chunk != null && chunk.size() > 0; chunk = source.read(next)) {
			ArchiveChunk stored = salvage ? salvage(chunk) : chunk;
			insertChunks(List.of(header.ref().sessionId()), List.of(stored));
			next = stored.lastSeq() + 1;
			bytes += stored.bytes();
			malformed += stored.malformed();
		}
		long count = next - 1;
		this.jdbc.update("""
				UPDATE session_history SET message_count = ?, malformed_count = ?, message_bytes = ?
				WHERE session_id = ?
				""", count, malformed, (header.meta().bytes() > 0) ? header.meta().bytes() : bytes,
				header.ref().sessionId());
		return new Streamed(Result.INSERTED, count, malformed);
	}

	private Map<ArchiveRow, Result> insertAll(List<ArchiveRow> rows) {
		Map<SessionRef, Result> results = insertSessions(rows);
		List<UUID> ids = new ArrayList<>();
		List<ArchiveChunk> chunks = new ArrayList<>();
		Map<ArchiveRow, Result> byRow = new LinkedHashMap<>();
		for (ArchiveRow row : rows) {
			Result result = results.get(row.ref());
			byRow.put(row, result);
			if (result == Result.INSERTED) {
				for (ArchiveChunk chunk : row.chunks()) {
					ids.add(row.ref().sessionId());
					chunks.add(chunk);
				}
			}
		}
		insertChunks(ids, chunks);
		return byRow;
	}

	/** Inserts one row, salvaged if need be, recording it as written. */
	private void insertOne(ArchiveRow row, Map<ArchiveRow, Result> results) {
		try {
			results.put(row, this.transactions.execute((status) -> insertAll(List.of(row))).get(row));
			return;
		}
		catch (DataAccessException ex) {
			if (!isDataError(ex)) {
				throw ex;
			}
			logger.warn("Archive row of " + row.ref().member() + " was refused (" + ex.getMostSpecificCause()
					+ "); wrapping the values PostgreSQL refuses");
		}
		List<ArchiveChunk> salvaged = new ArrayList<>(row.chunks().size());
		row.chunks().forEach((chunk) -> salvaged.add(salvage(chunk)));
		ArchiveRow wrapped = row.with(salvaged, !castsToJsonb(row.metadata()));
		try {
			results.put(wrapped, this.transactions.execute((status) -> insertAll(List.of(wrapped))).get(wrapped));
		}
		catch (DataAccessException ex) {
			if (!isDataError(ex)) {
				throw ex;
			}
			logger.error("Archive row of " + row.ref().member() + " was refused again, its data stays in Redis: "
					+ ex.getMostSpecificCause());
			results.put(row, Result.REFUSED);
		}
	}

	/** Inserts the session rows, each once, and tells each instance's result. */
	private Map<SessionRef, Result> insertSessions(List<ArchiveRow> rows) {
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
		this.jdbc.query(EXISTING, (resultSet) -> {
			stored.put(resultSet.getObject("session_id", UUID.class), new Stored(resultSet.getString("session_code"),
					resultSet.getLong("message_count"), resultSet.getLong("created_ms")));
		}, (Object) ids);
		for (ArchiveRow row : rows) {
			Stored other = stored.get(row.ref().sessionId());
			boolean same = other != null && other.code().equals(row.ref().code())
					&& other.createdMillis() == row.meta().createdAt().toEpochMilli()
					&& other.messageCount() == row.expectedCount();
			results.put(row.ref(), same ? Result.ALREADY : Result.CONFLICT);
		}
	}

	private record Stored(String code, long messageCount, long createdMillis) {
	}

	private void insertChunks(List<UUID> ids, List<ArchiveChunk> chunks) {
		if (chunks.isEmpty()) {
			return;
		}
		this.jdbc.update((connection) -> {
			PreparedStatement statement = connection.prepareStatement(INSERT_CHUNKS);
			int size = chunks.size();
			Integer[] first = new Integer[size];
			Integer[] last = new Integer[size];
			String[] messages = new String[size];
			for (int i = 0; i < size; i++) {
				first[i] = (int) chunks.get(i).firstSeq();
				last[i] = (int) chunks.get(i).lastSeq();
				messages[i] = chunks.get(i).json();
			}
			statement.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
			statement.setArray(2, connection.createArrayOf("int4", first));
			statement.setArray(3, connection.createArrayOf("int4", last));
			statement.setArray(4, connection.createArrayOf("text", messages));
			return statement;
		});
	}

	/** Finds the elements jsonb refuses by halving, so a long chunk costs few queries. */
	private ArchiveChunk salvage(ArchiveChunk chunk) {
		Set<Integer> refused = new HashSet<>();
		findRefused(chunk.elements(), 0, chunk.size(), refused);
		return refused.isEmpty() ? chunk : chunk.wrapping(refused);
	}

	private void findRefused(List<String> elements, int from, int to, Set<Integer> refused) {
		if (from >= to || castsToJsonb(ArchiveChunk.join(elements.subList(from, to)))) {
			return;
		}
		if (to - from == 1) {
			refused.add(from);
			return;
		}
		int middle = (from + to) >>> 1;
		findRefused(elements, from, middle, refused);
		findRefused(elements, middle, to, refused);
	}

	private boolean castsToJsonb(String json) {
		if (json == null) {
			return true;
		}
		try {
			return Boolean.TRUE.equals(this.jdbc.queryForObject(CHECK_JSONB, Boolean.class, json));
		}
		catch (DataAccessException ex) {
			if (isDataError(ex)) {
				return false;
			}
			throw ex;
		}
	}

	private PreparedStatement prepareSessions(Connection connection, List<ArchiveRow> rows) throws SQLException {
		int size = rows.size();
		UUID[] ids = new UUID[size];
		String[] codes = new String[size];
		Integer[] counts = new Integer[size];
		Integer[] malformed = new Integer[size];
		Long[] bytes = new Long[size];
		Long[] created = new Long[size];
		Long[] ended = new Long[size];
		String[] reasons = new String[size];
		String[] metadata = new String[size];
		for (int i = 0; i < size; i++) {
			ArchiveRow row = rows.get(i);
			ids[i] = row.ref().sessionId();
			codes[i] = row.ref().code();
			counts[i] = (int) row.messageCount();
			malformed[i] = row.malformed();
			bytes[i] = (row.meta().bytes() > 0) ? row.meta().bytes() : row.bytes();
			created[i] = row.meta().createdAt().toEpochMilli();
			ended[i] = row.meta().effectiveEndedAt().toEpochMilli();
			reasons[i] = row.meta().effectiveEndReason();
			metadata[i] = row.metadata();
		}
		PreparedStatement statement = connection.prepareStatement(INSERT_SESSIONS);
		List<Array> arrays = new ArrayList<>();
		arrays.add(connection.createArrayOf("uuid", ids));
		arrays.add(connection.createArrayOf("text", codes));
		arrays.add(connection.createArrayOf("int4", counts));
		arrays.add(connection.createArrayOf("int4", malformed));
		arrays.add(connection.createArrayOf("int8", bytes));
		arrays.add(connection.createArrayOf("int8", created));
		arrays.add(connection.createArrayOf("int8", ended));
		arrays.add(connection.createArrayOf("text", reasons));
		arrays.add(connection.createArrayOf("text", metadata));
		for (int i = 0; i < arrays.size(); i++) {
			statement.setArray(i + 1, arrays.get(i));
		}
		return statement;
	}

	/**
	 * Whether PostgreSQL refused a value (SQLSTATE classes 22 data exception, 23 integrity
	 * constraint violation, 54 program limit exceeded) rather than being unusable.
	 */
	static boolean isDataError(DataAccessException ex) {
		Throwable cause = ex;
		while (cause != null) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				String state = sql.getSQLState();
				return state.startsWith("22") || state.startsWith("23") || state.startsWith("54");
			}
			cause = cause.getCause();
		}
		return false;
	}

}
