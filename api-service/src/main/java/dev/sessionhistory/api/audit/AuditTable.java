package dev.sessionhistory.api.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.UUID;

import dev.sessionhistory.api.paging.Cursor;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
import org.springframework.stereotype.Repository;

/**
 * The owner of the columns and statements of {@code admin_audit} (migration 5). A list's
 * statement is put together from the conditions below, each a constant with bound
 * parameters, so that every filter is a range of one of the table's indexes.
 */
@Repository
class AuditTable {

	/** A row, unless its admin, action and instance have one in its window already. */
	static final String INSERT = """
			INSERT INTO admin_audit (at, window_start, admin_id, action, session_code, session_id)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING
			""";

	static final String SELECT = "SELECT id, at, admin_id, action, session_code, session_id FROM admin_audit";

	static final String OF_ADMIN = "admin_id = ?";

	static final String OF_CODE = "session_code = ?";

	static final String PAST = "(at, id) < (?, ?)";

	static final String ORDER = " ORDER BY at DESC, id DESC LIMIT ?";

	private final JdbcClient jdbc;

	AuditTable(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** @return whether a row was written (none when the window has one already) */
	boolean insert(Instant at, Instant window, @Nullable String adminId, AuditAction action, String code,
			UUID sessionId) {
		return this.jdbc.sql(INSERT)
			.params(utc(at), utc(window), adminId, action.wire(), code, sessionId)
			.update() == 1;
	}

	/**
	 * Up to {@code count} rows, newest first, past {@code after}; each filter may be
	 * {@code null} (none).
	 */
	List<AuditEntry> list(@Nullable String adminId, @Nullable String code, @Nullable Cursor after, int count) {
		StringJoiner where = new StringJoiner(" AND ", " WHERE ", "").setEmptyValue("");
		List<Object> params = new ArrayList<>();
		if (adminId != null) {
			where.add(OF_ADMIN);
			params.add(adminId);
		}
		if (code != null) {
			where.add(OF_CODE);
			params.add(code);
		}
		if (after != null) {
			where.add(PAST);
			params.add(utc(after.time()));
			params.add(after.id());
		}
		params.add(count);
		StatementSpec statement = this.jdbc.sql(SELECT + where + ORDER);
		for (Object param : params) {
			statement = statement.param(param);
		}
		return statement.query(AuditTable::entry).list();
	}

	private static AuditEntry entry(ResultSet rs, int row) throws SQLException {
		return new AuditEntry(rs.getLong("id"), rs.getObject("at", OffsetDateTime.class).toInstant(),
				rs.getString("admin_id"), rs.getString("action"), rs.getString("session_code"),
				rs.getObject("session_id", UUID.class));
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
