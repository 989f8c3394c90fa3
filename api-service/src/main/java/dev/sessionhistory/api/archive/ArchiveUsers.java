package dev.sessionhistory.api.archive;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.sessionhistory.api.paging.Cursor;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
import org.springframework.stereotype.Repository;

/**
 * The statements on an archive's users ({@code session_participant}) and token epoch, apart
 * from {@link ArchiveTable} so that each stays one subject: who may reach an archive, and
 * which archives are a user's.
 */
@Repository
public class ArchiveUsers {

	/**
	 * The archives a user owns or participates in, newest first: one range scan of
	 * {@code session_participant_user_ended_at} from the cursor's {@code ended_at} down; rows
	 * that share an {@code ended_at} are ordered by the archive's {@code id}.
	 */
	static final String FIRST_PAGE_FOR_USER = """
			SELECT h.id, p.role, h.session_code, %s FROM session_participant p
			JOIN session_history h ON h.session_id = p.session_id
			WHERE p.user_id = ?
			ORDER BY p.ended_at DESC, h.id DESC
			LIMIT ?
			""".formatted(qualified("h"));

	static final String NEXT_PAGE_FOR_USER = """
			SELECT h.id, p.role, h.session_code, %s FROM session_participant p
			JOIN session_history h ON h.session_id = p.session_id
			WHERE p.user_id = ? AND p.ended_at <= ? AND (p.ended_at < ? OR h.id < ?)
			ORDER BY p.ended_at DESC, h.id DESC
			LIMIT ?
			""".formatted(qualified("h"));

	/** Which of some instances are archived. */
	static final String ARCHIVED_AMONG = "SELECT session_id FROM session_history WHERE session_id = ANY(?)";

	/** An archive's token epoch, asked every time: a revoke raises it. */
	static final String TOKEN_EPOCH = "SELECT token_epoch FROM session_history WHERE session_id = ?";

	/** Revokes every token of an archive: tokens minted at a lower epoch are refused. */
	static final String REVOKE = """
			UPDATE session_history SET token_epoch = token_epoch + 1
			WHERE session_id = ? AND session_code = ?
			RETURNING token_epoch
			""";

	/** What one user may do with one archive, by the primary key of {@code session_participant}. */
	static final String RIGHTS_OF = "SELECT rights FROM session_participant WHERE user_id = ? AND session_id = ?";

	/** The participants of one archive (its owner is in its row), by {@code session_participant_session}. */
	static final String PARTICIPANTS = """
			SELECT user_id, rights FROM session_participant
			WHERE session_id = ? AND role = 'participant'
			""";

	private final JdbcClient jdbc;

	ArchiveUsers(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Up to {@code count} of the archives {@code userId} owns or participates in, newest
	 * first, past the cursor's {@code (ended_at, id)} ({@code null}: from the newest).
	 */
	public List<UserArchive> findForUser(String userId, Cursor after, int count) {
		StatementSpec statement = (after == null) ? this.jdbc.sql(FIRST_PAGE_FOR_USER).param(userId)
				: this.jdbc.sql(NEXT_PAGE_FOR_USER)
					.param(userId)
					.param(after.time().atOffset(ZoneOffset.UTC))
					.param(after.time().atOffset(ZoneOffset.UTC))
					.param(after.id());
		return statement.param(count)
			.query((rs, row) -> new UserArchive(rs.getString("session_code"), rs.getString("role"), ArchiveTable.summary(rs, row),
					new Cursor(rs.getObject("ended_at", OffsetDateTime.class).toInstant(), rs.getLong("id"))))
			.list();
	}

	/** Those of {@code sessionIds} that are archived. */
	public Set<UUID> archivedAmong(List<UUID> sessionIds) {
		if (sessionIds.isEmpty()) {
			return Set.of();
		}
		return new HashSet<>(this.jdbc.sql(ARCHIVED_AMONG).param(sessionIds.toArray(UUID[]::new)).query(UUID.class).list());
	}

	/** An archive's token epoch; 0 when it has none (then it has no tokens to refuse either). */
	public long tokenEpoch(UUID sessionId) {
		return this.jdbc.sql(TOKEN_EPOCH).param(sessionId).query(Long.class).optional().orElse(0L);
	}

	/**
	 * Raises an archive's token epoch by one.
	 * @return the new epoch, or empty when the code has no archive of that instance
	 */
	public Optional<Long> revoke(String code, UUID sessionId) {
		return this.jdbc.sql(REVOKE).param(sessionId).param(code).query(Long.class).optional();
	}

	/**
	 * The rights {@code userId} holds on an archive as its owner or a participant, as stored
	 * (a comma-separated subset of {@code read,append,end}), or empty when none.
	 */
	public Optional<String> rightsOf(UUID sessionId, String userId) {
		return this.jdbc.sql(RIGHTS_OF).param(userId).param(sessionId).query(String.class).optional();
	}

	/** The participants of an archive, by user id, each with their rights as stored. */
	public Map<String, String> participantsOf(UUID sessionId) {
		Map<String, String> participants = new HashMap<>();
		this.jdbc.sql(PARTICIPANTS)
			.param(sessionId)
			.query((rs) -> {
				participants.put(rs.getString("user_id"), rs.getString("rights"));
			});
		return participants;
	}

	private static String qualified(String table) {
		return Arrays.stream(ArchiveTable.SUMMARY.split(", "))
			.map((column) -> table + "." + column)
			.collect(Collectors.joining(", "));
	}

	/**
	 * An archive of a user's.
	 *
	 * @param code its code
	 * @param role the user's role: {@code owner} or {@code participant}
	 * @param archive the archive
	 * @param position where it lies in the user's list
	 */
	public record UserArchive(String code, String role, ArchivedSession archive, Cursor position) {
	}

}
