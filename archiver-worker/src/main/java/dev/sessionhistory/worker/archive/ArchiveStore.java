package dev.sessionhistory.worker.archive;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes archive rows: a whole batch in one statement, so in one transaction; one row per
 * transaction when the batch holds a value PostgreSQL refuses, so a bad row cannot block
 * the others.
 */
@Component
class ArchiveStore {

	private static final Log logger = LogFactory.getLog(ArchiveStore.class);

	// Arrays as parameters: one statement and one round trip for any batch size.
	private static final String INSERT = """
			INSERT INTO session_history (session_id, session_code, messages_raw, message_count, malformed_count,
			    created_at, ended_at, end_reason, metadata)
			SELECT r.session_id, r.code, r.messages::json, r.message_count, r.malformed_count,
			    timestamptz 'epoch' + r.created_ms * interval '1 millisecond',
			    timestamptz 'epoch' + r.ended_ms * interval '1 millisecond',
			    r.end_reason, r.metadata::jsonb
			FROM unnest(?::uuid[], ?::text[], ?::text[], ?::int[], ?::int[], ?::bigint[], ?::bigint[], ?::text[],
			    ?::text[]) AS r(session_id, code, messages, message_count, malformed_count, created_ms, ended_ms,
			    end_reason, metadata)
			ON CONFLICT (session_id) DO NOTHING
			RETURNING session_id
			""";

	private static final String CHECK_JSONB = "SELECT CAST(? AS jsonb) IS NOT NULL";

	private final JdbcTemplate jdbc;

	ArchiveStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Inserts the rows, each once.
	 * @return for each row that is now in the table: whether this call inserted it
	 * ({@code false}: an earlier attempt did); rows missing from the result were refused
	 * @throws DataAccessException when the database cannot be used at all
	 */
	Map<ArchiveRow, Boolean> insert(List<ArchiveRow> rows) {
		Map<ArchiveRow, Boolean> stored = new LinkedHashMap<>();
		try {
			Set<UUID> inserted = insertAll(rows);
			rows.forEach((row) -> stored.put(row, inserted.contains(row.ref().sessionId())));
			return stored;
		}
		catch (DataAccessException ex) {
			if (!isDataError(ex)) {
				throw ex;
			}
			if (rows.size() == 1) {
				insertSalvaged(rows.get(0), ex, stored);
				return stored;
			}
			logger.warn("A batch of " + rows.size() + " archive rows was refused (" + ex.getMostSpecificCause()
					+ "); inserting them one by one");
		}
		for (ArchiveRow row : rows) {
			try {
				stored.put(row, !insertAll(List.of(row)).isEmpty());
			}
			catch (DataAccessException ex) {
				if (!isDataError(ex)) {
					throw ex;
				}
				insertSalvaged(row, ex, stored);
			}
		}
		return stored;
	}

	private void insertSalvaged(ArchiveRow row, DataAccessException refusal, Map<ArchiveRow, Boolean> stored) {
		logger.warn("Archive row of " + row.ref().member() + " was refused (" + refusal.getMostSpecificCause()
				+ "); wrapping the values PostgreSQL refuses");
		ArchiveRow salvaged = salvage(row);
		try {
			stored.put(salvaged, !insertAll(List.of(salvaged)).isEmpty());
		}
		catch (DataAccessException ex) {
			if (!isDataError(ex)) {
				throw ex;
			}
			logger.error("Archive row of " + row.ref().member() + " was refused again, its data stays in Redis: "
					+ ex.getMostSpecificCause());
		}
	}

	/** Finds the elements jsonb refuses by halving, so a long list costs few queries. */
	private ArchiveRow salvage(ArchiveRow row) {
		Set<Integer> refused = new HashSet<>();
		findRefused(row.elements(), 0, row.elements().size(), refused);
		boolean metadataRefused = row.metadata() != null && !castsToJsonb(row.metadata());
		return row.wrapping(refused, metadataRefused);
	}

	private void findRefused(List<String> elements, int from, int to, Set<Integer> refused) {
		if (from >= to || castsToJsonb("[" + String.join(",", elements.subList(from, to)) + "]")) {
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

	private Set<UUID> insertAll(List<ArchiveRow> rows) {
		List<UUID> inserted = this.jdbc.query((connection) -> prepare(connection, rows),
				(resultSet, rowNumber) -> resultSet.getObject(1, UUID.class));
		return new HashSet<>(inserted);
	}

	private PreparedStatement prepare(Connection connection, List<ArchiveRow> rows) throws SQLException {
		int size = rows.size();
		UUID[] ids = new UUID[size];
		String[] codes = new String[size];
		String[] messages = new String[size];
		Integer[] counts = new Integer[size];
		Integer[] malformed = new Integer[size];
		Long[] created = new Long[size];
		Long[] ended = new Long[size];
		String[] reasons = new String[size];
		String[] metadata = new String[size];
		for (int i = 0; i < size; i++) {
			ArchiveRow row = rows.get(i);
			ids[i] = row.ref().sessionId();
			codes[i] = row.ref().code();
			messages[i] = row.messagesJson();
			counts[i] = row.messageCount();
			malformed[i] = row.malformed();
			created[i] = row.meta().createdAt().toEpochMilli();
			ended[i] = row.meta().effectiveEndedAt().toEpochMilli();
			reasons[i] = row.meta().effectiveEndReason();
			metadata[i] = row.metadata();
		}
		PreparedStatement statement = connection.prepareStatement(INSERT);
		List<Array> arrays = new ArrayList<>();
		arrays.add(connection.createArrayOf("uuid", ids));
		arrays.add(connection.createArrayOf("text", codes));
		arrays.add(connection.createArrayOf("text", messages));
		arrays.add(connection.createArrayOf("int4", counts));
		arrays.add(connection.createArrayOf("int4", malformed));
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
