package dev.sessionhistory.worker.archive;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionMeta;
import dev.sessionhistory.worker.archive.ArchiveTable.Result;
import dev.sessionhistory.worker.system.HistoryProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * Archives ended instances in batches: claim (Redis) → read the messages in bounded
 * windows (Redis) → insert (PostgreSQL, committed) → purge and leave the due index
 * (Redis). Whatever is not archived stays in Redis with its due score set to the next
 * attempt, so the sweep retries it; nothing is deleted before its row committed.
 * <p>
 * Work is bounded whatever the sessions hold: a batch stops claiming at
 * {@link #BATCH_BYTES} of messages, and a session larger than {@link #LARGE_BYTES} is
 * written alone, one window at a time. A session that cannot be archived (its data, a
 * conflicting archive, a failing window) is isolated: the others of its batch go on, and it
 * is retried with its own backoff.
 */
@Component
public class Archiver {

	private static final Log logger = LogFactory.getLog(Archiver.class);

	/** Instances claimed in one round trip. */
	private static final int CLAIM_CHUNK = 100;

	/** Message bytes a batch claims at most before it is written (one instance may exceed it alone). */
	private static final long BATCH_BYTES = 16L * 1024 * 1024;

	/** Sessions above this are written alone, streamed window by window. */
	private static final long LARGE_BYTES = 1024 * 1024;

	private final RedisInstances redis;

	private final ArchiveWriter writer;

	private final ArchiveMetrics metrics;

	private final Isolation isolation;

	private final MessageWindows windows;

	private final Clock clock;

	private final Backoff databaseBackoff;

	private final Backoff redisBackoff;

	private final int batchSize;

	private final long claimTtlMillis;

	private final long invalidRetryMillis;

	/** Instances a batch of this worker holds, so events and sweep do not both take one. */
	private final Set<SessionRef> inFlight = ConcurrentHashMap.newKeySet();

	Archiver(RedisInstances redis, ArchiveWriter writer, ArchiveMetrics metrics, Isolation isolation,
			HistoryProperties properties, Clock clock) {
		this.redis = redis;
		this.writer = writer;
		this.metrics = metrics;
		this.clock = clock;
		HistoryProperties.Archive archive = properties.archive();
		this.databaseBackoff = new Backoff(archive.backoffMin(), archive.backoffMax());
		this.redisBackoff = new Backoff(archive.backoffMin(), archive.backoffMax());
		this.isolation = isolation;
		this.windows = new MessageWindows(redis, isolation, metrics, this.redisBackoff);
		this.batchSize = archive.batchSize();
		this.claimTtlMillis = archive.claimTtl().toMillis();
		this.invalidRetryMillis = archive.invalidRetry().toMillis();
	}

	public int batchSize() {
		return this.batchSize;
	}

	/**
	 * Archives what it can of {@code work} now, in batches.
	 * @param work the instances, each with what triggered it
	 * @return how many instances this call handled; those another batch of this worker
	 * holds are skipped
	 */
	public int archive(Map<SessionRef, Trigger> work) {
		List<SessionRef> refs = new ArrayList<>(work.size());
		for (SessionRef ref : work.keySet()) {
			if (this.inFlight.add(ref)) {
				refs.add(ref);
			}
		}
		try {
			int from = 0;
			while (from < refs.size()) {
				from += archiveBatch(refs.subList(from, Math.min(refs.size(), from + this.batchSize)), work);
			}
			return refs.size();
		}
		finally {
			refs.forEach(this.inFlight::remove);
		}
	}

	/**
	 * Postpones members of the due index that name no instance of this layout (a session id
	 * spelled otherwise than the keys are built), so the sweep never spins on them; their
	 * data, if any, stays in Redis.
	 */
	public void postponeUnreadable(List<String> members) {
		if (members.isEmpty()) {
			return;
		}
		long retryAt = this.clock.millis() + this.invalidRetryMillis;
		// One line per sweep, not per member: a foreign writer may have written thousands.
		logger.error("Cannot archive " + members.size() + " due members such as '" + members.get(0)
				+ "': not 'CODE SID' with a lower-case session id, so no instance of this layout; next look in "
				+ Duration.ofMillis(this.invalidRetryMillis));
		this.metrics.failure("invalid-data", members.size());
		this.redis.postpone(members, retryAt);
	}

	/**
	 * Archives a prefix of {@code batch}: claims are taken in chunks until the messages
	 * claimed reach {@link #BATCH_BYTES}.
	 * @return how many of {@code batch} it handled
	 */
	private int archiveBatch(List<SessionRef> batch, Map<SessionRef, Trigger> triggers) {
		long started = this.clock.millis();
		BatchOutcome outcome = new BatchOutcome();
		long waitingUntil = Math.max(this.databaseBackoff.waitingUntil(started),
				this.redisBackoff.waitingUntil(started));
		if (waitingUntil > 0) {
			batch.forEach((ref) -> outcome.retryAt.put(ref, waitingUntil));
			settle(outcome, batch.size());
			return batch.size();
		}
		List<ArchiveRow> small = new ArrayList<>();
		List<ArchiveRow> large = new ArrayList<>();
		int claimed = 0;
		long bytes = 0;
		try {
			while (claimed < batch.size() && bytes < BATCH_BYTES) {
				List<SessionRef> chunk = batch.subList(claimed, Math.min(batch.size(), claimed + CLAIM_CHUNK));
				for (Claim claim : this.redis.claim(chunk)) {
					ArchiveRow row = classify(claim, started, outcome);
					if (row != null) {
						long estimate = claim.estimatedBytes(row.meta());
						(estimate > LARGE_BYTES ? large : small).add(row);
						bytes += estimate;
					}
				}
				claimed += chunk.size();
			}
			this.redisBackoff.succeeded();
		}
		catch (DataAccessException ex) {
			long retryAt = this.redisBackoff.failed(started);
			logger.warn("Could not claim " + (batch.size() - claimed) + " sessions, Redis failed (" + ex.getMessage()
					+ "); the sweep retries them in " + (retryAt - started) + " ms");
			this.metrics.failure("redis", batch.size() - claimed);
			batch.subList(claimed, batch.size()).forEach((ref) -> outcome.retryAt.put(ref, retryAt));
			claimed = batch.size();
		}
		List<ArchiveRow> read = this.windows.readWhole(small, started, outcome);
		Map<ArchiveRow, Result> stored = store(read, outcome);
		long committed = this.clock.millis();
		settle(outcome, claimed);
		stored.forEach((row, result) -> archived(row, row.messageCount(), row.malformed(), result, triggers, committed,
				started));
		for (ArchiveRow row : large) {
			archiveLarge(row, triggers);
		}
		this.metrics.batch(Duration.ofMillis(this.clock.millis() - started));
		return Math.max(claimed, 1);
	}

	/** @return the row to archive for a granted claim, else {@code null} with the outcome noted */
	private ArchiveRow classify(Claim claim, long now, BatchOutcome outcome) {
		SessionRef ref = claim.ref();
		switch (claim.status()) {
			case CLAIMED -> {
				try {
					return ArchiveRow.of(ref, SessionMeta.fromValues(claim.meta()), claim.messageCount());
				}
				catch (RuntimeException ex) {
					// Whatever is wrong with one instance's data must not fail the batch.
					this.isolation.failed(ref, ex.toString(), "invalid-data", now, outcome);
				}
			}
			case LIVE -> outcome.retryAt.put(ref,
					now + ((claim.remainingMillis() > 0) ? claim.remainingMillis() : this.invalidRetryMillis));
			case BUSY -> outcome.retryAt.put(ref, now + this.claimTtlMillis);
			case GONE -> outcome.gone.add(ref);
			case ERROR -> this.isolation.failed(ref, "the claim script answered an error: " + claim.detail(), "invalid-data", now,
					outcome);
		}
		return null;
	}

	private Map<ArchiveRow, Result> store(List<ArchiveRow> rows, BatchOutcome outcome) {
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
		Map<ArchiveRow, Result> stored = new LinkedHashMap<>();
		results.forEach((row, result) -> {
			if (settled(row.ref(), result, now, outcome)) {
				stored.put(row, result);
			}
		});
		return stored;
	}

	/**
	 * Writes one large session alone, reading its windows while it is written. Its claim is
	 * renewed first (the sessions before it in the batch took time) and by every window.
	 */
	private void archiveLarge(ArchiveRow claimedRow, Map<SessionRef, Trigger> triggers) {
		long started = this.clock.millis();
		BatchOutcome outcome = new BatchOutcome();
		SessionRef ref = claimedRow.ref();
		try {
			ArchiveRow row = classify(this.redis.claim(List.of(ref)).get(0), started, outcome);
			if (row == null) {
				settle(outcome, 1);
				return;
			}
			ArchiveWriter.Streamed streamed = this.writer.insertStreamed(row, this.windows.source(ref));
			this.databaseBackoff.succeeded();
			long committed = this.clock.millis();
			boolean stored = settled(ref, streamed.result(), committed, outcome);
			settle(outcome, 1);
			if (stored) {
				archived(row, streamed.messageCount(), streamed.malformed(), streamed.result(), triggers, committed,
						started);
			}
		}
		catch (MessageWindows.WindowFailedException ex) {
			this.isolation.failed(ref, "a window of its messages could not be read: " + ex.getMessage(), "redis", started, outcome);
			settle(outcome, 1);
		}
		catch (RedisSystemException | QueryTimeoutException ex) {
			this.isolation.failed(ref, "Redis failed: " + ex.getMessage(), "redis", started, outcome);
			settle(outcome, 1);
		}
		catch (DataAccessException | TransactionException ex) {
			databaseFailed(List.of(claimedRow), ex, started, outcome);
			settle(outcome, 1);
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
			case CONFLICT -> this.isolation.failed(ref, "its session id is archived already for another instance (other code, "
					+ "creation time or message count): a writer reused the id", "conflict", now, outcome);
			case REFUSED -> this.isolation.failed(ref, "PostgreSQL refused its archive row", "invalid-data", now, outcome);
		}
		return false;
	}

	private void databaseFailed(List<ArchiveRow> rows, RuntimeException ex, long now, BatchOutcome outcome) {
		long retryAt = this.databaseBackoff.failed(now);
		logger.warn("Could not archive " + rows.size() + " sessions, PostgreSQL failed (" + ex.getMessage()
				+ "); their data stays in Redis, next attempt in " + (retryAt - now) + " ms");
		this.metrics.failure("database", rows.size());
		this.metrics.retries(rows.size());
		for (ArchiveRow row : rows) {
			outcome.retryAt.put(row.ref(), retryAt);
			outcome.release.add(row.ref());
		}
	}

	private void settle(BatchOutcome outcome, int sessions) {
		try {
			this.redis.settle(outcome.archived, outcome.retryAt, outcome.gone, outcome.release);
		}
		catch (DataAccessException ex) {
			// Rows committed are safe; the next attempt finds them and purges.
			logger.warn("Could not update Redis after a batch of " + sessions + " sessions (" + ex.getMessage()
					+ "); the sweep retries them");
			this.metrics.failure("redis", sessions);
		}
	}

	private void archived(ArchiveRow row, long messageCount, int malformed, Result result,
			Map<SessionRef, Trigger> triggers, long committed, long started) {
		if (result != Result.INSERTED) {
			logger.debug("Session " + row.ref().member() + " was archived before; purged its Redis data");
			return;
		}
		Trigger trigger = triggers.get(row.ref());
		Instant endedAt = row.meta().effectiveEndedAt();
		Duration lag = Duration.ofMillis(committed - endedAt.toEpochMilli());
		this.metrics.archived(trigger, messageCount, malformed, lag);
		if (logger.isInfoEnabled()) {
			logger.info("Archived session " + row.ref().member() + " (trigger " + trigger.tag() + ", "
					+ row.meta().effectiveEndReason() + "): " + messageCount + " messages"
					+ ((malformed > 0) ? " (" + malformed + " malformed)" : "") + " in " + (committed - started)
					+ " ms, " + lag.toMillis() + " ms after its end");
		}
	}

}
