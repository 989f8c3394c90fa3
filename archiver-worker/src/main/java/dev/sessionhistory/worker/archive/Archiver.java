package dev.sessionhistory.worker.archive;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.worker.archive.ArchiveTable.Result;
import dev.sessionhistory.worker.archive.ArchiveWriter.Streamed;
import dev.sessionhistory.worker.archive.Claimer.Claimed;
import dev.sessionhistory.worker.system.HistoryProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * Archives ended instances in batches: claim and read the participants ({@link Claimer},
 * Redis) → read the messages in bounded windows ({@link MessageWindows}, Redis) → insert
 * ({@link Committer}, PostgreSQL, committed) → purge and leave the due index
 * ({@link Settlement}, Redis).
 * Whatever is not archived stays in Redis with its due score set to the next attempt, so
 * the sweep retries it; nothing is deleted before its row committed.
 * <p>
 * Work is bounded whatever the sessions hold: a batch stops claiming at a budget of
 * message bytes, and a large session is written alone, one window at a time. A session
 * that cannot be archived (its data, a conflicting archive, a failing window) is isolated
 * ({@link Isolation}): the others of its batch go on, and it is retried with its own
 * backoff.
 */
@Component
public class Archiver {

	private static final Log logger = LogFactory.getLog(Archiver.class);

	private final Claimer claimer;

	private final MessageWindows windows;

	private final Committer committer;

	private final Settlement settlement;

	private final Isolation isolation;

	private final Backoffs backoffs;

	private final RedisInstances redis;

	private final ArchiveMetrics metrics;

	private final Clock clock;

	private final int batchSize;

	private final long invalidRetryMillis;

	/** Instances a batch of this worker holds, so events and sweep do not both take one. */
	private final Set<SessionRef> inFlight = ConcurrentHashMap.newKeySet();

	Archiver(Claimer claimer, MessageWindows windows, Committer committer, Settlement settlement, Isolation isolation,
			Backoffs backoffs, RedisInstances redis, ArchiveMetrics metrics, HistoryProperties properties,
			Clock clock) {
		this.claimer = claimer;
		this.windows = windows;
		this.committer = committer;
		this.settlement = settlement;
		this.isolation = isolation;
		this.backoffs = backoffs;
		this.redis = redis;
		this.metrics = metrics;
		this.clock = clock;
		this.batchSize = properties.archive().batchSize();
		this.invalidRetryMillis = properties.archive().invalidRetry().toMillis();
	}

	/**
	 * Archives what it can of {@code work} now, in batches of
	 * {@code history.archive.batch-size}.
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
	 * Archives a prefix of {@code batch}, as much as its claims allow.
	 * @return how many of {@code batch} it handled
	 */
	private int archiveBatch(List<SessionRef> batch, Map<SessionRef, Trigger> triggers) {
		long started = this.clock.millis();
		BatchOutcome outcome = new BatchOutcome();
		long waitingUntil = this.backoffs.waitingUntil(started);
		if (waitingUntil > 0) {
			batch.forEach((ref) -> outcome.retryAt.put(ref, waitingUntil));
			this.settlement.settle(outcome, batch.size());
			return batch.size();
		}
		Claimed claimed = this.claimer.claim(batch, started, outcome);
		List<ArchiveRow> read = this.windows.readWhole(claimed.small(), started, outcome);
		Map<ArchiveRow, Result> stored = this.committer.commit(read, outcome);
		long committed = this.clock.millis();
		this.settlement.settle(outcome, claimed.count());
		stored.forEach((row, result) -> this.settlement.archived(row, row.messageCount(), row.malformed(), result,
				triggers.get(row.ref()), committed, started));
		for (ArchiveRow row : claimed.large()) {
			archiveLarge(row, triggers.get(row.ref()));
		}
		this.metrics.batch(Duration.ofMillis(this.clock.millis() - started));
		return Math.max(claimed.count(), 1);
	}

	/**
	 * Writes one large session alone, reading its windows while it is written. Its claim is
	 * renewed first (the sessions before it in the batch took time) and by every window.
	 */
	private void archiveLarge(ArchiveRow claimedRow, Trigger trigger) {
		long started = this.clock.millis();
		BatchOutcome outcome = new BatchOutcome();
		SessionRef ref = claimedRow.ref();
		try {
			ArchiveRow row = this.claimer.reclaim(ref, started, outcome);
			Streamed streamed = (row != null) ? this.committer.commitStreamed(row, this.windows.source(ref), outcome)
					: null;
			long committed = this.clock.millis();
			this.settlement.settle(outcome, 1);
			if (streamed != null) {
				this.settlement.archived(row, streamed.messageCount(), streamed.malformed(), streamed.result(), trigger,
						committed, started);
			}
			return;
		}
		catch (MessageWindows.WindowFailedException ex) {
			this.isolation.failed(ref, "a window of its messages could not be read: " + ex.getMessage(), "redis",
					started, outcome);
		}
		catch (ParticipantReader.ReadFailedException ex) {
			this.isolation.failed(ref, "Redis failed before the commit: " + ex.getMessage(), "redis", started, outcome);
		}
		catch (RedisSystemException | QueryTimeoutException ex) {
			this.isolation.failed(ref, "Redis failed: " + ex.getMessage(), "redis", started, outcome);
		}
		catch (DataAccessException | TransactionException ex) {
			this.committer.databaseFailed(List.of(claimedRow), ex, started, outcome);
		}
		this.settlement.settle(outcome, 1);
	}

}
