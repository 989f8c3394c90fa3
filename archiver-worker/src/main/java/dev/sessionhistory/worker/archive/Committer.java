package dev.sessionhistory.worker.archive;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.worker.archive.ArchiveTable.Result;
import dev.sessionhistory.worker.archive.ArchiveWriter.ChunkSource;
import dev.sessionhistory.worker.archive.ArchiveWriter.Streamed;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * Commits archive rows ({@link ArchiveWriter}) and notes in the batch outcome what each
 * result means for the instance's data in Redis: a row in the table may be purged; a
 * conflicting or refused one is isolated; when PostgreSQL fails, every row waits for the
 * database's backoff and gives its claim back. Only a committed row ever leads to a purge.
 */
@Component
class Committer {

	private static final Log logger = LogFactory.getLog(Committer.class);

	private final ArchiveWriter writer;

	private final Isolation isolation;

	private final ArchiveMetrics metrics;

	private final Backoff databaseBackoff;

	private final Backoff redisBackoff;

	private final Clock clock;

	Committer(ArchiveWriter writer, Isolation isolation, ArchiveMetrics metrics, Backoffs backoffs, Clock clock) {
		this.writer = writer;
		this.isolation = isolation;
		this.metrics = metrics;
		this.databaseBackoff = backoffs.database();
		this.redisBackoff = backoffs.redis();
		this.clock = clock;
	}

	/**
	 * Commits rows whose messages are all read.
	 * @return the rows now in the table, with their results
	 */
	Map<ArchiveRow, Result> commit(List<ArchiveRow> rows, BatchOutcome outcome) {
		if (rows.isEmpty()) {
			return Map.of();
		}
		long now = this.clock.millis();
		Map<ArchiveRow, Result> results;
		try {
			results = this.writer.insert(rows);
			this.databaseBackoff.succeeded();
		}
		catch (DataAccessException | TransactionException ex) {
			databaseFailed(rows, ex, now, outcome);
			return Map.of();
		}
		catch (ParticipantReader.ReadFailedException ex) {
			// Nothing committed: the rows wait for Redis' backoff, and their claims are given back.
			long retryAt = this.redisBackoff.failed(now);
			logger.warn("Could not archive " + rows.size() + " sessions, Redis failed before the commit ("
					+ ex.getMessage() + "); next attempt in " + (retryAt - now) + " ms");
			this.metrics.failure("redis", rows.size());
			giveBack(rows, retryAt, outcome);
			return Map.of();
		}
		Map<ArchiveRow, Result> stored = new LinkedHashMap<>();
		results.forEach((row, result) -> {
			if (settled(row.ref(), result, now, outcome)) {
				stored.put(row, result);
			}
		});
		return stored;
	}

	/**
	 * Commits one session whose windows are read while it is written.
	 * @return what was written if the row is in the table now, else {@code null}
	 * @throws DataAccessException when Redis or PostgreSQL failed (nothing committed)
	 * @throws MessageWindows.WindowFailedException when a window could not be read
	 * @throws ParticipantReader.ReadFailedException when the epoch could not be read again
	 */
	Streamed commitStreamed(ArchiveRow row, ChunkSource source, BatchOutcome outcome) {
		Streamed streamed = this.writer.insertStreamed(row, source);
		this.databaseBackoff.succeeded();
		return settled(row.ref(), streamed.result(), this.clock.millis(), outcome) ? streamed : null;
	}

	/** PostgreSQL failed: the rows wait for its backoff, and their claims are given back. */
	void databaseFailed(List<ArchiveRow> rows, RuntimeException ex, long now, BatchOutcome outcome) {
		long retryAt = this.databaseBackoff.failed(now);
		logger.warn("Could not archive " + rows.size() + " sessions, PostgreSQL failed (" + ex.getMessage()
				+ "); their data stays in Redis, next attempt in " + (retryAt - now) + " ms");
		this.metrics.failure("database", rows.size());
		this.metrics.retries(rows.size());
		giveBack(rows, retryAt, outcome);
	}

	private static void giveBack(List<ArchiveRow> rows, long retryAt, BatchOutcome outcome) {
		for (ArchiveRow row : rows) {
			outcome.retryAt.put(row.ref(), retryAt);
			outcome.release.add(row.ref());
		}
	}

	/** @return whether the row is in the table now (its Redis data may go) */
	private boolean settled(SessionRef ref, Result result, long now, BatchOutcome outcome) {
		switch (result) {
			case INSERTED, ALREADY -> {
				outcome.archived.add(ref);
				this.isolation.succeeded(ref);
				return true;
			}
			case ERASED -> {
				// Never archived; whatever the erasure left in Redis goes like an archived instance's.
				logger.info("Session " + ref.member() + " was erased; not archived, its Redis data purged");
				outcome.archived.add(ref);
				this.isolation.succeeded(ref);
				this.metrics.erasedBeforeArchive();
				return false;
			}
			case CONFLICT -> this.isolation.failed(ref, "its session id is archived already for another instance "
					+ "(other code, creation time or message count): a writer reused the id", "conflict", now, outcome);
			case REFUSED -> this.isolation.failed(ref, "PostgreSQL refused its archive row", "invalid-data", now,
					outcome);
		}
		return false;
	}

}
