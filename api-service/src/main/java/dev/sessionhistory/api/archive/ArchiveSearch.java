package dev.sessionhistory.api.archive;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;

import dev.sessionhistory.api.paging.Cursor;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
import org.springframework.stereotype.Repository;

/**
 * The Session Gallery's search of the archives: any combination of filters, newest first
 * by {@code (created_at, id)}, keyset-paged, and a count that stops at
 * {@value #COUNT_CAP}. Apart from {@link ArchiveTable} because its statement is built from
 * the filters given (each a bound parameter, never text of the request); the indexes it
 * rests on are those of migration 4, and every filter maps to a range of one of them or to
 * a filter of a few rows: an ended range also bounds {@code created_at} (a session ends
 * after it was created), and a user narrows to their rows of {@code session_participant}.
 */
@Repository
public class ArchiveSearch {

	/** Counts stop here: past it, "many" is the answer. */
	public static final int COUNT_CAP = 10_000;

	private static final String COLUMNS = "h.id, h.session_id, h.session_code, h.created_at, h.ended_at, "
			+ "h.archived_at, h.end_reason, h.message_count, h.message_bytes, h.owner_id";

	/** One archive, by its instance and code. */
	static final String ONE = "SELECT " + COLUMNS + " FROM session_history h WHERE h.session_id = ? AND h.session_code = ?";

	private final JdbcClient jdbc;

	ArchiveSearch(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Up to {@code count} archives that match, newest first, past {@code after}.
	 */
	public List<Found> find(Criteria criteria, @Nullable Cursor after, int count) {
		Statement statement = statement(criteria);
		if (after != null) {
			statement.where("(h.created_at, h.id) < (:afterTime, :afterId)");
			statement.params.put("afterTime", after.time().atOffset(ZoneOffset.UTC));
			statement.params.put("afterId", after.id());
		}
		statement.params.put("count", count);
		String sql = "SELECT " + COLUMNS + statement.from() + statement.where()
				+ " ORDER BY h.created_at DESC, h.id DESC LIMIT :count";
		return bind(this.jdbc.sql(sql), statement.params).query(ArchiveSearch::found).list();
	}

	/** One instance's archive, as the list shows it, if the code has an archive of it. */
	public Optional<Found> find(String code, UUID sessionId) {
		return this.jdbc.sql(ONE).param(sessionId).param(code).query(ArchiveSearch::found).optional();
	}

	/**
	 * How many archives match, up to {@value #COUNT_CAP} (which reads "at least").
	 */
	public int count(Criteria criteria) {
		Statement statement = statement(criteria);
		statement.params.put("cap", COUNT_CAP);
		String sql = "SELECT count(*) FROM (SELECT 1" + statement.from() + statement.where() + " LIMIT :cap) matches";
		return bind(this.jdbc.sql(sql), statement.params).query(Integer.class).single();
	}

	private static Found found(ResultSet rs, int row) throws SQLException {
		return new Found(rs.getLong("id"), rs.getObject("session_id", UUID.class), rs.getString("session_code"),
				rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				rs.getObject("ended_at", OffsetDateTime.class).toInstant(),
				rs.getObject("archived_at", OffsetDateTime.class).toInstant(), rs.getString("end_reason"),
				rs.getLong("message_count"), rs.getLong("message_bytes"), rs.getString("owner_id"));
	}

	private static Statement statement(Criteria criteria) {
		Statement statement = new Statement(criteria.userId() != null);
		Map<String, Object> params = statement.params;
		if (criteria.userId() != null) {
			params.put("userId", criteria.userId());
		}
		if (criteria.code() != null) {
			statement.where("h.session_code = :code");
			params.put("code", criteria.code());
		}
		if (criteria.codePrefix() != null) {
			// '_' is LIKE's one-character wildcard and may be in a code; '-' and the rest are literal
			statement.where("h.session_code LIKE :pattern ESCAPE '\\'");
			params.put("pattern", criteria.codePrefix().replace("_", "\\_") + "%");
		}
		if (criteria.createdAfter() != null) {
			statement.where("h.created_at >= :createdAfter");
			params.put("createdAfter", utc(criteria.createdAfter()));
		}
		if (criteria.createdBefore() != null) {
			statement.where("h.created_at < :createdBefore");
			params.put("createdBefore", utc(criteria.createdBefore()));
		}
		if (criteria.endedAfter() != null) {
			statement.where("h.ended_at >= :endedAfter");
			params.put("endedAfter", utc(criteria.endedAfter()));
		}
		if (criteria.endedBefore() != null) {
			// created before it too: a range of the (created_at, id) index
			statement.where("h.ended_at < :endedBefore AND h.created_at < :endedBefore");
			params.put("endedBefore", utc(criteria.endedBefore()));
		}
		if (criteria.endReason() != null) {
			statement.where("h.end_reason = :endReason");
			params.put("endReason", criteria.endReason());
		}
		if (criteria.minMessages() != null) {
			statement.where("h.message_count >= :minMessages");
			params.put("minMessages", criteria.minMessages());
		}
		if (criteria.maxMessages() != null) {
			statement.where("h.message_count <= :maxMessages");
			params.put("maxMessages", criteria.maxMessages());
		}
		return statement;
	}

	private static StatementSpec bind(StatementSpec statement, Map<String, Object> params) {
		for (Map.Entry<String, Object> param : params.entrySet()) {
			statement = statement.param(param.getKey(), param.getValue());
		}
		return statement;
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	/** A statement's tables, conditions and bound parameters. */
	private static final class Statement {

		private final boolean ofUser;

		private final List<String> conditions = new ArrayList<>();

		private final Map<String, Object> params = new LinkedHashMap<>();

		Statement(boolean ofUser) {
			this.ofUser = ofUser;
		}

		void where(String condition) {
			this.conditions.add(condition);
		}

		String from() {
			return this.ofUser ? " FROM session_participant p JOIN session_history h ON h.session_id = p.session_id"
					+ " AND p.user_id = :userId" : " FROM session_history h";
		}

		String where() {
			if (this.conditions.isEmpty()) {
				return "";
			}
			StringJoiner where = new StringJoiner(" AND ", " WHERE ", "");
			this.conditions.forEach(where::add);
			return where.toString();
		}

	}

	/**
	 * What archives to find; every part may be {@code null} (no condition).
	 *
	 * @param code the exact code
	 * @param codePrefix the start of the code
	 * @param userId an owner or participant
	 * @param createdAfter created at or after
	 * @param createdBefore created before
	 * @param endedAfter ended at or after
	 * @param endedBefore ended before
	 * @param endReason {@code ended} or {@code expired}
	 * @param minMessages at least this many messages
	 * @param maxMessages at most this many messages
	 */
	public record Criteria(@Nullable String code, @Nullable String codePrefix, @Nullable String userId,
			@Nullable Instant createdAfter, @Nullable Instant createdBefore, @Nullable Instant endedAfter,
			@Nullable Instant endedBefore, @Nullable String endReason, @Nullable Long minMessages,
			@Nullable Long maxMessages) {
	}

	/**
	 * An archive found.
	 *
	 * @param id its row id, which orders archives created in the same microsecond
	 * @param sessionId the instance
	 * @param code its code
	 * @param createdAt when it was created
	 * @param endedAt when it ended
	 * @param archivedAt when its archive was written
	 * @param endReason {@code ended} or {@code expired}
	 * @param messageCount how many messages it holds
	 * @param messageBytes their stored bytes
	 * @param owner its owner, or {@code null}
	 */
	public record Found(long id, UUID sessionId, String code, Instant createdAt, Instant endedAt, Instant archivedAt,
			String endReason, long messageCount, long messageBytes, @Nullable String owner) {

		public Cursor position() {
			return new Cursor(this.createdAt, this.id);
		}

	}

}
