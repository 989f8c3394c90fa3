package dev.sessionhistory.api.erasure;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;

import dev.sessionhistory.api.paging.Cursor;
import dev.sessionhistory.api.paging.Page;
import dev.sessionhistory.api.paging.PageQuery;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
import org.springframework.stereotype.Repository;

/**
 * The owner of the columns and statements of {@code session_erasure}, the erasure log: who
 * erased what and when, and why if given, never any of the erased content. Rows are only
 * ever added. The list's statement is put together from the conditions below, each a
 * constant with bound parameters, so that every filter is a range of one of the table's
 * indexes (migrations 7 and 9).
 */
@Repository
public class ErasureLog {

	/**
	 * One row per erased instance: a repeated erasure adds nothing. Its time is taken when
	 * the row is written (under the instance's lock), not when the transaction began, so
	 * the caches' polls ({@link #erasedSince}) find it within their overlap.
	 */
	static final String INSERT_SESSION = """
			INSERT INTO session_erasure (at, erased_by, scope, session_code, session_id, owner_id, found, reason)
			VALUES (clock_timestamp(), ?, 'session', ?, ?, ?, ?, ?)
			ON CONFLICT (session_id) WHERE scope = 'session' DO NOTHING
			""";

	/** A user's erasure, the request itself: logged (and committed) before any of it is done. */
	static final String INSERT_USER = """
			INSERT INTO session_erasure (at, erased_by, scope, user_id, reason)
			VALUES (clock_timestamp(), ?, 'user', ?, ?)
			""";

	/** A user's messages erased from an instance they took part in: one row per instance and user. */
	static final String INSERT_MESSAGES = """
			INSERT INTO session_erasure (at, erased_by, scope, session_code, session_id, owner_id, user_id, found, reason)
			VALUES (clock_timestamp(), ?, 'messages', ?, ?, ?, ?, ?, ?)
			ON CONFLICT (session_id, user_id) WHERE scope = 'messages'
			DO UPDATE SET at = excluded.at, erased_by = excluded.erased_by, found = excluded.found, reason = excluded.reason
			""";

	/** The owner of an erased instance of a code, for a repeated erasure's answer. */
	static final String ERASED_INSTANCE = """
			SELECT owner_id FROM session_erasure
			WHERE scope = 'session' AND session_id = ? AND session_code = ?
			""";

	/** The instances erased (or whose messages were) since a time, for the caches. */
	static final String ERASED_SINCE = """
			SELECT id, at, session_id FROM session_erasure
			WHERE at >= ? AND session_id IS NOT NULL
			""";

	static final String SELECT = """
			SELECT id, at, erased_by, scope, session_code, session_id, owner_id, user_id, found, reason
			FROM session_erasure""";

	static final String BY = "erased_by = ?";

	/** Whose data it was: the user of a user's erasure (or of their messages'), or the owner. */
	static final String OF_USER = "(user_id = ? OR owner_id = ?)";

	static final String OF_CODE = "session_code = ?";

	static final String PAST = "(at, id) < (?, ?)";

	static final String ORDER = " ORDER BY at DESC, id DESC LIMIT ?";

	private final JdbcClient jdbc;

	ErasureLog(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Logs the erasure of an instance, in the caller's transaction, unless it is logged.
	 * @param erasedBy who erased it ({@code null} in open mode)
	 * @param owner its owner ({@code null} for none)
	 * @param found where it was: {@code live}, {@code ended} or {@code archived}
	 */
	void session(@Nullable String erasedBy, String code, UUID sessionId, @Nullable String owner, String found,
			@Nullable String reason) {
		this.jdbc.sql(INSERT_SESSION)
			.params(erasedBy, code, sessionId, owner, found, reason)
			.update();
	}

	/** Logs a user's erasure (in a transaction of its own: it must be seen before the work starts). */
	void user(@Nullable String erasedBy, String userId, @Nullable String reason) {
		this.jdbc.sql(INSERT_USER).params(erasedBy, userId, reason).update();
	}

	/**
	 * Logs that a user's messages went from an instance; a later erasure of the same user
	 * there moves the row to its time.
	 */
	void messages(@Nullable String erasedBy, String code, UUID sessionId, @Nullable String owner, String userId,
			String found, @Nullable String reason) {
		this.jdbc.sql(INSERT_MESSAGES).params(erasedBy, code, sessionId, owner, userId, found, reason).update();
	}

	/**
	 * @return the erased instance of the code, with its owner ({@code null} for none), if
	 * the log has it
	 */
	Optional<Erased> erased(String code, UUID sessionId) {
		return this.jdbc.sql(ERASED_INSTANCE)
			.params(sessionId, code)
			.query((rs, row) -> new Erased(rs.getString("owner_id")))
			.optional();
	}

	/**
	 * The log rows of instances erased, or rewritten by a user's erasure, at or after
	 * {@code since}: a row written again (another erasure of the same user's messages
	 * there) comes with its new time.
	 */
	List<Logged> erasedSince(Instant since) {
		return this.jdbc.sql(ERASED_SINCE)
			.param(since.atOffset(ZoneOffset.UTC))
			.query((rs, row) -> new Logged(rs.getLong("id"), rs.getObject("at", OffsetDateTime.class).toInstant(),
					rs.getObject("session_id", UUID.class)))
			.list();
	}

	/**
	 * @param id the log row
	 * @param at when it was (last) written
	 * @param sessionId the instance it names
	 */
	record Logged(long id, Instant at, UUID sessionId) {
	}

	/**
	 * A page of the log, newest first; each filter may be {@code null} (none).
	 * @param erasedBy only the erasures by this user
	 * @param userId only the erasures of this user's data: rows whose {@code user_id} or
	 * {@code owner_id} it is
	 * @param code only the erasures of this code's instances
	 */
	public Page<ErasureEntry> list(@Nullable String erasedBy, @Nullable String userId, @Nullable String code,
			PageQuery query) {
		StringJoiner where = new StringJoiner(" AND ", " WHERE ", "").setEmptyValue("");
		List<Object> params = new ArrayList<>();
		if (erasedBy != null) {
			where.add(BY);
			params.add(erasedBy);
		}
		if (userId != null) {
			where.add(OF_USER);
			params.add(userId);
			params.add(userId);
		}
		if (code != null) {
			where.add(OF_CODE);
			params.add(code);
		}
		Cursor after = query.after();
		if (after != null) {
			where.add(PAST);
			params.add(after.time().atOffset(ZoneOffset.UTC));
			params.add(after.id());
		}
		params.add(query.fetchSize());
		StatementSpec statement = this.jdbc.sql(SELECT + where + ORDER);
		for (Object param : params) {
			statement = statement.param(param);
		}
		return query.page(statement.query(ErasureLog::entry).list(), ErasureEntry::position);
	}

	private static ErasureEntry entry(ResultSet rs, int row) throws SQLException {
		return new ErasureEntry(rs.getLong("id"), rs.getObject("at", OffsetDateTime.class).toInstant(),
				rs.getString("erased_by"), rs.getString("scope"), rs.getString("session_code"),
				rs.getObject("session_id", UUID.class), rs.getString("owner_id"), rs.getString("user_id"),
				rs.getString("found"), rs.getString("reason"));
	}

	/** @param owner the erased instance's owner, or {@code null} for none */
	record Erased(@Nullable String owner) {
	}

}
