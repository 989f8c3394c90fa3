package dev.sessionhistory.api.session;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.sessionhistory.api.paging.Cursor;
import dev.sessionhistory.api.paging.Page;
import dev.sessionhistory.api.paging.PageQuery;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
import org.springframework.stereotype.Repository;

/**
 * Summaries of archived session instances. A code is reused once its previous instance is
 * archived, so the latest archive of a code is the one that ended last.
 */
@Repository
public class ArchiveRepository {

	private static final String COLUMNS = "session_id, created_at, ended_at, message_count, end_reason";

	static final String FIRST_PAGE = """
			SELECT id, %s FROM session_history
			WHERE session_code = ?
			ORDER BY ended_at DESC, id DESC
			LIMIT ?
			""".formatted(COLUMNS);

	static final String NEXT_PAGE = """
			SELECT id, %s FROM session_history
			WHERE session_code = ? AND (ended_at, id) < (?, ?)
			ORDER BY ended_at DESC, id DESC
			LIMIT ?
			""".formatted(COLUMNS);

	private final JdbcClient jdbc;

	ArchiveRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<ArchivedSession> findLatest(String code) {
		return this.jdbc.sql("""
				SELECT %s FROM session_history
				WHERE session_code = ?
				ORDER BY ended_at DESC, id DESC
				LIMIT 1
				""".formatted(COLUMNS)).param(code).query(ArchiveRepository::map).optional();
	}

	public Optional<ArchivedSession> find(String code, UUID sessionId) {
		return this.jdbc.sql("""
				SELECT %s FROM session_history
				WHERE session_id = ? AND session_code = ?
				""".formatted(COLUMNS)).param(sessionId).param(code).query(ArchiveRepository::map).optional();
	}

	/**
	 * One page of a code's archives, newest first, past the cursor's {@code (ended_at, id)}.
	 * PostgreSQL walks {@code session_history_code_ended_at} from the cursor's
	 * {@code ended_at} down and sorts only the rows that share an {@code ended_at} by
	 * {@code id} (an incremental sort). Such ties need two instances of one code to end in
	 * the same microsecond, so the index does without an {@code id} column.
	 */
	Page<ArchivedSession> findAll(String code, PageQuery query) {
		Cursor after = query.after();
		StatementSpec statement = (after == null) ? this.jdbc.sql(FIRST_PAGE).param(code)
				: this.jdbc.sql(NEXT_PAGE)
					.param(code)
					.param(after.time().atOffset(ZoneOffset.UTC))
					.param(after.id());
		List<Row> rows = statement.param(query.fetchSize())
			.query((rs, row) -> new Row(rs.getLong("id"), map(rs, row)))
			.list();
		return query.page(rows, Row::position).map(Row::archive);
	}

	private static ArchivedSession map(ResultSet rs, int row) throws SQLException {
		return new ArchivedSession(rs.getObject("session_id", UUID.class),
				rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				rs.getObject("ended_at", OffsetDateTime.class).toInstant(), rs.getInt("message_count"),
				rs.getString("end_reason"));
	}

	private record Row(long id, ArchivedSession archive) {

		Cursor position() {
			return new Cursor(this.archive.endedAt(), this.id);
		}

	}

}
