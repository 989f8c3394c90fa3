package dev.sessionhistory.api.archive;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
 * The API's owner of the columns and statements of {@code session_history} and
 * {@code session_history_chunk}: every statement it runs on them is a constant here or, for
 * an archive's users and token epoch, in {@link ArchiveUsers}, and for erasures in
 * {@link ArchiveErasures}; no other class names a column. The API only reads them (but for
 * a revoke's epoch and erasures); the archiver-worker writes them.
 * <p>
 * A code is reused once its previous instance is archived, so the latest archive of a code
 * is the one that ended last.
 */
@Repository
public class ArchiveTable {

	static final String SUMMARY = "session_id, created_at, ended_at, message_count, end_reason, owner_id";

	/** The latest archive of a code. */
	static final String LATEST = """
			SELECT %s FROM session_history
			WHERE session_code = ?
			ORDER BY ended_at DESC, id DESC
			LIMIT 1
			""".formatted(SUMMARY);

	/** One archive, by its instance and code. */
	static final String BY_ID = """
			SELECT %s FROM session_history
			WHERE session_id = ? AND session_code = ?
			""".formatted(SUMMARY);

	static final String FIRST_PAGE = """
			SELECT id, %s FROM session_history
			WHERE session_code = ?
			ORDER BY ended_at DESC, id DESC
			LIMIT ?
			""".formatted(SUMMARY);

	static final String NEXT_PAGE = """
			SELECT id, %s FROM session_history
			WHERE session_code = ? AND (ended_at, id) < (?, ?)
			ORDER BY ended_at DESC, id DESC
			LIMIT ?
			""".formatted(SUMMARY);

	/** A code's archives that a user owns or participates in, newest first: see {@link #findAll}. */
	static final String FIRST_PAGE_OF_USER = """
			SELECT id, %s FROM session_history h
			WHERE session_code = ?
			  AND EXISTS (SELECT 1 FROM session_participant p WHERE p.user_id = ? AND p.session_id = h.session_id)
			ORDER BY ended_at DESC, id DESC
			LIMIT ?
			""".formatted(SUMMARY);

	static final String NEXT_PAGE_OF_USER = """
			SELECT id, %s FROM session_history h
			WHERE session_code = ? AND (ended_at, id) < (?, ?)
			  AND EXISTS (SELECT 1 FROM session_participant p WHERE p.user_id = ? AND p.session_id = h.session_id)
			ORDER BY ended_at DESC, id DESC
			LIMIT ?
			""".formatted(SUMMARY);

	/**
	 * One archive's directory, without touching a message: only the chunks' keys are read,
	 * never their (TOASTed) texts.
	 */
	static final String DIRECTORY = """
			SELECT h.session_code, h.message_count, h.ended_at, h.owner_id, h.revision, c.first_seq, c.last_seq
			FROM session_history h
			LEFT JOIN session_history_chunk c ON c.session_id = h.session_id
			WHERE h.session_id = ?
			ORDER BY c.first_seq
			""";

	/** Some chunks of one archive, by primary key: {@code (session_id, first_seq = ANY(?))}. */
	static final String CHUNKS = """
			SELECT first_seq, last_seq, messages_raw
			FROM session_history_chunk
			WHERE session_id = ? AND first_seq = ANY(?)
			""";

	/** How far the worker's retention has deleted ({@code archive_retention}); no row: nothing yet. */
	static final String RETENTION_BOUND = "SELECT deleted_before FROM archive_retention";

	private final JdbcClient jdbc;

	ArchiveTable(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<ArchivedSession> findLatest(String code) {
		return this.jdbc.sql(LATEST).param(code).query(ArchiveTable::summary).optional();
	}

	public Optional<ArchivedSession> find(String code, UUID sessionId) {
		return this.jdbc.sql(BY_ID).param(sessionId).param(code).query(ArchiveTable::summary).optional();
	}

	/**
	 * One page of a code's archives, newest first, past the cursor's {@code (ended_at, id)}.
	 * PostgreSQL walks {@code session_history_code_ended_at} from the cursor's
	 * {@code ended_at} down and sorts only the rows that share an {@code ended_at} by
	 * {@code id} (an incremental sort). Such ties need two instances of one code to end in
	 * the same microsecond, so the index does without an {@code id} column.
	 */
	public Page<ArchivedSession> findAll(String code, PageQuery query) {
		Cursor after = query.after();
		StatementSpec statement = (after == null) ? this.jdbc.sql(FIRST_PAGE).param(code)
				: this.jdbc.sql(NEXT_PAGE)
					.param(code)
					.param(after.time().atOffset(ZoneOffset.UTC))
					.param(after.id());
		return page(statement, query);
	}

	/**
	 * One page of the archives of a code that {@code userId} owns or participates in, as
	 * {@link #findAll}, each row checked by the primary key of {@code session_participant}.
	 */
	public Page<ArchivedSession> findAllOf(String code, String userId, PageQuery query) {
		Cursor after = query.after();
		StatementSpec statement = (after == null) ? this.jdbc.sql(FIRST_PAGE_OF_USER).param(code).param(userId)
				: this.jdbc.sql(NEXT_PAGE_OF_USER)
					.param(code)
					.param(after.time().atOffset(ZoneOffset.UTC))
					.param(after.id())
					.param(userId);
		return page(statement, query);
	}

	private Page<ArchivedSession> page(StatementSpec statement, PageQuery query) {
		List<Row> rows = statement.param(query.fetchSize())
			.query((rs, row) -> new Row(rs.getLong("id"), summary(rs, row)))
			.list();
		return query.page(rows, Row::position).map(Row::archive);
	}

	/** Archives whose session ended before this are deleted or being deleted by retention. */
	public Optional<Instant> retentionBound() {
		return this.jdbc.sql(RETENTION_BOUND)
			.query((rs, row) -> rs.getObject(1, OffsetDateTime.class).toInstant())
			.optional();
	}

	/** The directory of an instance's archive, if it has one. */
	Optional<ArchivedHistory> directory(UUID sessionId) {
		return this.jdbc.sql(DIRECTORY).param(sessionId).query((rs) -> {
			if (!rs.next()) {
				return Optional.<ArchivedHistory>empty();
			}
			String code = rs.getString("session_code");
			int total = rs.getInt("message_count");
			Instant endedAt = rs.getTimestamp("ended_at").toInstant();
			String owner = rs.getString("owner_id");
			int revision = rs.getInt("revision");
			List<int[]> bounds = new ArrayList<>();
			do {
				Integer first = rs.getObject("first_seq", Integer.class);
				if (first != null) {
					bounds.add(new int[] { first, rs.getInt("last_seq") });
				}
			}
			while (rs.next());
			int[] firstSeqs = bounds.stream().mapToInt((chunk) -> chunk[0]).toArray();
			int[] lastSeqs = bounds.stream().mapToInt((chunk) -> chunk[1]).toArray();
			return Optional.of(new ArchivedHistory(sessionId, code, endedAt, owner, total, firstSeqs, lastSeqs, revision));
		});
	}

	/** The chunks of an archive that start at {@code firstSeqs}, in no particular order; absent ones left out. */
	List<ArchiveChunk> chunks(UUID sessionId, int[] firstSeqs) {
		List<ArchiveChunk> chunks = new ArrayList<>(firstSeqs.length);
		this.jdbc.sql(CHUNKS).param(sessionId).param(firstSeqs).query((rs) -> {
			chunks.add(ArchiveChunk.of(sessionId, rs.getInt("first_seq"), rs.getInt("last_seq"),
					rs.getBytes("messages_raw")));
		});
		return chunks;
	}

	static ArchivedSession summary(ResultSet rs, int row) throws SQLException {
		return new ArchivedSession(rs.getObject("session_id", UUID.class),
				rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				rs.getObject("ended_at", OffsetDateTime.class).toInstant(), rs.getInt("message_count"),
				rs.getString("end_reason"), rs.getString("owner_id"));
	}

	private record Row(long id, ArchivedSession archive) {

		Cursor position() {
			return new Cursor(this.archive.endedAt(), this.id);
		}

	}

}
