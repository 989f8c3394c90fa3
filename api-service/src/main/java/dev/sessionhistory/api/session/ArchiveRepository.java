package dev.sessionhistory.api.session;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Summaries of archived session instances. A code is reused once its previous instance is
 * archived, so the latest archive of a code is the one that ended last.
 */
@Repository
public class ArchiveRepository {

	private static final String COLUMNS = "session_id, created_at, ended_at, message_count, end_reason";

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

	/** Newest first. */
	public List<ArchivedSession> findAll(String code) {
		return this.jdbc.sql("""
				SELECT %s FROM session_history
				WHERE session_code = ?
				ORDER BY ended_at DESC, id DESC
				""".formatted(COLUMNS)).param(code).query(ArchiveRepository::map).list();
	}

	private static ArchivedSession map(ResultSet rs, int row) throws SQLException {
		return new ArchivedSession(rs.getObject("session_id", UUID.class),
				rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				rs.getObject("ended_at", OffsetDateTime.class).toInstant(), rs.getInt("message_count"),
				rs.getString("end_reason"));
	}

}
