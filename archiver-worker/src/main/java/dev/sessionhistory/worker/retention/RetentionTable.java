package dev.sessionhistory.worker.retention;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Retention's statements on {@code session_history} (the archive's own are
 * {@code ArchiveTable}'s): deleting the archives whose session ended before a bound, oldest
 * first and a batch at a time, and reading when the oldest archive kept ended. An archive's
 * chunks and participant rows go with it ({@code ON DELETE CASCADE}, each by an index).
 * <p>
 * Each batch is a transaction of its own with short lock and statement timeouts, so
 * retention never holds rows or waits long. Rows another transaction holds (an archive
 * being written or its epoch raised, an erasure, another replica's retention) are skipped
 * ({@code SKIP LOCKED}), never waited for, and deleted by a later batch; so any number of
 * replicas may run retention at once, each deleting other rows.
 */
@Component
class RetentionTable {

	/**
	 * How long a batch waits for a lock held elsewhere (a chunk an erasure rewrites, the
	 * table during a migration) before it gives up, deleting nothing, for the next run.
	 */
	static final String LOCK_TIMEOUT = "1s";

	/** What one batch may take at most, so that it never holds its rows long. */
	static final String STATEMENT_TIMEOUT = "10s";

	private static final String TIMEOUTS = """
			SELECT set_config('lock_timeout', ?, true), set_config('statement_timeout', ?, true)
			""";

	// LockRows runs below the LIMIT: skipped rows do not count, a batch is full while rows are due.
	private static final String DELETE_ENDED_BEFORE = """
			WITH deleted AS (
			    DELETE FROM session_history WHERE id IN (
			        SELECT id FROM session_history WHERE ended_at < ?
			        ORDER BY ended_at LIMIT ? FOR UPDATE SKIP LOCKED)
			    RETURNING message_bytes)
			SELECT count(*) AS archives, coalesce(sum(message_bytes), 0) AS bytes FROM deleted
			""";

	// Told to the API's caches in the batch's transaction: the bound only ever goes up.
	private static final String RAISE_BOUND = """
			INSERT INTO archive_retention (deleted_before) VALUES (?)
			ON CONFLICT (only_row) DO UPDATE SET deleted_before = greatest(archive_retention.deleted_before,
			    excluded.deleted_before)
			""";

	// The first entry of session_history_ended_at.
	private static final String OLDEST = "SELECT min(ended_at) FROM session_history";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	RetentionTable(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.transactions = new TransactionTemplate(transactionManager);
	}

	/**
	 * What one batch deleted.
	 * @param archives archive rows (each with its chunks and participants)
	 * @param bytes their message bytes ({@code message_bytes})
	 */
	record Deleted(long archives, long bytes) {
	}

	/**
	 * Deletes, in one transaction, up to {@code limit} of the oldest archives whose session
	 * ended strictly before {@code bound}, skipping those another transaction holds, and
	 * raises the bound the API's caches read ({@code archive_retention}).
	 * @throws DataAccessException when PostgreSQL failed or a timeout struck (nothing deleted)
	 * @throws TransactionException when no transaction could begin
	 */
	Deleted deleteEndedBefore(Instant bound, int limit) {
		OffsetDateTime before = bound.atOffset(ZoneOffset.UTC);
		return this.transactions.execute((status) -> {
			this.jdbc.query(TIMEOUTS, (resultSet) -> {
			}, LOCK_TIMEOUT, STATEMENT_TIMEOUT);
			this.jdbc.update(RAISE_BOUND, before);
			return this.jdbc.queryForObject(DELETE_ENDED_BEFORE,
					(resultSet, rowNumber) -> new Deleted(resultSet.getLong("archives"), resultSet.getLong("bytes")),
					before, limit);
		});
	}

	/** When the session of the oldest archive kept ended; empty when there is none. */
	Optional<Instant> oldestEndedAt() {
		OffsetDateTime oldest = this.jdbc.queryForObject(OLDEST, OffsetDateTime.class);
		return Optional.ofNullable(oldest).map(OffsetDateTime::toInstant);
	}

}
