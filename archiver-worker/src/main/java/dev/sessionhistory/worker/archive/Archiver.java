package dev.sessionhistory.worker.archive;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionMeta;
import dev.sessionhistory.worker.system.HistoryProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Archives ended instances in batches: claim (Redis) → insert (PostgreSQL, committed) →
 * purge and leave the due index (Redis). Whatever is not archived stays in Redis with
 * its due score set to the next attempt, so the sweep retries it; nothing is deleted
 * before its row committed.
 */
@Component
public class Archiver {

	private static final Log logger = LogFactory.getLog(Archiver.class);

	/** Instances claimed in one round trip. */
	private static final int CLAIM_CHUNK = 100;

	/** Message text a batch holds at most before it is written (one instance may exceed it alone). */
	private static final long BATCH_BYTES = 32L * 1024 * 1024;

	private final RedisInstances redis;

	private final ArchiveStore store;

	private final ArchiveMetrics metrics;

	private final Backoff backoff;

	private final int batchSize;

	private final long claimTtlMillis;

	private final long invalidRetryMillis;

	/** Instances a batch of this worker holds, so events and sweep do not both take one. */
	private final Set<SessionRef> inFlight = ConcurrentHashMap.newKeySet();

	Archiver(RedisInstances redis, ArchiveStore store, ArchiveMetrics metrics, HistoryProperties properties) {
		this.redis = redis;
		this.store = store;
		this.metrics = metrics;
		HistoryProperties.Archive archive = properties.archive();
		this.backoff = new Backoff(archive.backoffMin(), archive.backoffMax());
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
	 * Archives a prefix of {@code batch}: claims are taken in chunks until the messages held
	 * reach {@link #BATCH_BYTES}, so a wave of long sessions cannot fill the heap.
	 * @return how many of {@code batch} it handled
	 */
	private int archiveBatch(List<SessionRef> batch, Map<SessionRef, Trigger> triggers) {
		long started = System.currentTimeMillis();
		Outcome outcome = new Outcome();
		long waitingUntil = this.backoff.waitingUntil(started);
		if (waitingUntil > 0) {
			batch.forEach((ref) -> outcome.retryAt.put(ref, waitingUntil));
			settle(outcome, batch);
			return batch.size();
		}
		List<Claim> claims = new ArrayList<>();
		int claimed = 0;
		long bytes = 0;
		try {
			while (claimed < batch.size() && bytes < BATCH_BYTES) {
				List<SessionRef> chunk = batch.subList(claimed, Math.min(batch.size(), claimed + CLAIM_CHUNK));
				for (Claim claim : this.redis.claim(chunk)) {
					claims.add(claim);
					bytes += claim.bytes();
				}
				claimed += chunk.size();
			}
		}
		catch (DataAccessException ex) {
			long retryAt = this.backoff.failed(started);
			logger.warn("Could not claim " + (batch.size() - claimed) + " sessions, Redis failed (" + ex.getMessage()
					+ "); the sweep retries them in " + (retryAt - started) + " ms");
			this.metrics.failure("redis", batch.size() - claimed);
			if (claims.isEmpty()) {
				return batch.size();
			}
		}
		List<SessionRef> refs = batch.subList(0, claimed);
		List<ArchiveRow> rows = new ArrayList<>();
		for (Claim claim : claims) {
			classify(claim, started, rows, outcome);
		}
		Map<ArchiveRow, Boolean> stored = store(rows, outcome);
		long committed = System.currentTimeMillis();
		stored.keySet().forEach((row) -> outcome.archived.add(row.ref()));
		settle(outcome, refs);
		stored.forEach((row, inserted) -> {
			if (inserted) {
				archived(row, triggers.get(row.ref()), committed, committed - started);
			}
			else {
				logger.debug("Session " + row.ref().member() + " was archived before; purged its Redis data");
			}
		});
		this.metrics.batch(Duration.ofMillis(System.currentTimeMillis() - started));
		return Math.max(claimed, 1);
	}

	private void classify(Claim claim, long now, List<ArchiveRow> rows, Outcome outcome) {
		SessionRef ref = claim.ref();
		switch (claim.status()) {
			case Claim.CLAIMED -> {
				try {
					rows.add(ArchiveRow.of(ref, SessionMeta.fromValues(claim.meta()), claim.messages()));
				}
				catch (RuntimeException ex) {
					// Whatever is wrong with one instance's data must not fail the batch.
					invalid(ref, ex.toString(), now, outcome);
				}
			}
			case Claim.LIVE -> outcome.retryAt.put(ref,
					now + ((claim.remainingMillis() > 0) ? claim.remainingMillis() : this.invalidRetryMillis));
			case Claim.BUSY -> outcome.retryAt.put(ref, now + this.claimTtlMillis);
			case Claim.GONE -> outcome.gone.add(ref);
			default -> invalid(ref, "claim script answered " + claim.status() + ": " + claim.detail(), now, outcome);
		}
	}

	private Map<ArchiveRow, Boolean> store(List<ArchiveRow> rows, Outcome outcome) {
		if (rows.isEmpty()) {
			return Map.of();
		}
		long now = System.currentTimeMillis();
		Map<ArchiveRow, Boolean> stored;
		try {
			stored = this.store.insert(rows);
			this.backoff.succeeded();
		}
		catch (DataAccessException ex) {
			long retryAt = this.backoff.failed(now);
			logger.warn("Could not archive " + rows.size() + " sessions, PostgreSQL failed (" + ex.getMessage()
					+ "); their data stays in Redis, next attempt in " + (retryAt - now) + " ms");
			this.metrics.failure("database", rows.size());
			this.metrics.retries(rows.size());
			for (ArchiveRow row : rows) {
				outcome.retryAt.put(row.ref(), retryAt);
				outcome.release.add(row.ref());
			}
			return Map.of();
		}
		Set<SessionRef> storedRefs = new HashSet<>();
		stored.keySet().forEach((row) -> storedRefs.add(row.ref()));
		for (ArchiveRow row : rows) {
			if (!storedRefs.contains(row.ref())) {
				invalid(row.ref(), "PostgreSQL refused its archive row", now, outcome);
			}
		}
		return stored;
	}

	private void invalid(SessionRef ref, String reason, long now, Outcome outcome) {
		logger.error("Cannot archive session " + ref.member() + ": " + reason + ". Its data stays in Redis; next attempt in "
				+ Duration.ofMillis(this.invalidRetryMillis));
		this.metrics.failure("invalid-data", 1);
		this.metrics.retries(1);
		outcome.retryAt.put(ref, now + this.invalidRetryMillis);
		outcome.release.add(ref);
	}

	private void settle(Outcome outcome, List<SessionRef> refs) {
		try {
			this.redis.settle(outcome.archived, outcome.retryAt, outcome.gone, outcome.release);
		}
		catch (DataAccessException ex) {
			// Rows committed are safe; the next attempt finds them and purges.
			logger.warn("Could not update Redis after a batch of " + refs.size() + " sessions (" + ex.getMessage()
					+ "); the sweep retries them");
			this.metrics.failure("redis", refs.size());
		}
	}

	private void archived(ArchiveRow row, Trigger trigger, long committed, long tookMillis) {
		Instant endedAt = row.meta().effectiveEndedAt();
		Duration lag = Duration.ofMillis(committed - endedAt.toEpochMilli());
		this.metrics.archived(trigger, row.messageCount(), row.malformed(), lag);
		if (logger.isInfoEnabled()) {
			logger.info("Archived session " + row.ref().member() + " (trigger " + trigger.tag() + ", "
					+ row.meta().effectiveEndReason() + "): " + row.messageCount() + " messages"
					+ ((row.malformed() > 0) ? " (" + row.malformed() + " malformed)" : "") + " in " + tookMillis
					+ " ms, " + lag.toMillis() + " ms after its end");
		}
	}

	/** What a batch leaves to do in Redis. */
	private static final class Outcome {

		final List<SessionRef> archived = new ArrayList<>();

		final Map<SessionRef, Long> retryAt = new LinkedHashMap<>();

		final List<SessionRef> gone = new ArrayList<>();

		final List<SessionRef> release = new ArrayList<>();

	}

}
