package dev.sessionhistory.worker.archive;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionMeta;
import dev.sessionhistory.worker.system.HistoryProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Claims the sessions of a batch for this worker, {@link #CLAIM_CHUNK} per round trip,
 * and sorts what the claim script answered: a granted claim becomes a row to archive,
 * small or large, with its participants read after the claim ({@link ParticipantReader}); a live, busy or vanished instance, or one whose data is broken, is noted
 * in the outcome for a later attempt, as is one whose users hash cannot be archived. A batch stops claiming at {@link #BATCH_BYTES} of
 * messages, so its memory is bounded whatever the sessions hold.
 */
@Component
class Claimer {

	private static final Log logger = LogFactory.getLog(Claimer.class);

	/** Instances claimed in one round trip. */
	private static final int CLAIM_CHUNK = 100;

	/** Message bytes a batch claims at most before it is written (one instance may exceed it alone). */
	private static final long BATCH_BYTES = 16L * 1024 * 1024;

	/** Sessions above this are written alone, streamed window by window. */
	private static final long LARGE_BYTES = 1024 * 1024;

	private final RedisInstances redis;

	private final ParticipantReader participants;

	private final Isolation isolation;

	private final ArchiveMetrics metrics;

	private final Backoff redisBackoff;

	private final long claimTtlMillis;

	private final long invalidRetryMillis;

	Claimer(RedisInstances redis, ParticipantReader participants, Isolation isolation, ArchiveMetrics metrics,
			Backoffs backoffs, HistoryProperties properties) {
		this.redis = redis;
		this.participants = participants;
		this.isolation = isolation;
		this.metrics = metrics;
		this.redisBackoff = backoffs.redis();
		this.claimTtlMillis = properties.archive().claimTtl().toMillis();
		this.invalidRetryMillis = properties.archive().invalidRetry().toMillis();
	}

	/**
	 * The claims of a prefix of a batch.
	 *
	 * @param small rows to read whole and write together
	 * @param large rows above {@link #LARGE_BYTES}, each to write alone
	 * @param count how many sessions of the batch were claimed or given up on
	 */
	record Claimed(List<ArchiveRow> small, List<ArchiveRow> large, int count) {
	}

	/**
	 * Claims a prefix of {@code batch}, in chunks, until the messages claimed reach
	 * {@link #BATCH_BYTES}. If Redis fails, the sessions not claimed yet are given up on:
	 * the sweep retries them once Redis' backoff has passed.
	 */
	Claimed claim(List<SessionRef> batch, long now, BatchOutcome outcome) {
		List<ArchiveRow> small = new ArrayList<>();
		List<ArchiveRow> large = new ArrayList<>();
		int claimed = 0;
		long bytes = 0;
		try {
			while (claimed < batch.size() && bytes < BATCH_BYTES) {
				List<SessionRef> chunk = batch.subList(claimed, Math.min(batch.size(), claimed + CLAIM_CHUNK));
				List<ArchiveRow> rows = new ArrayList<>();
				for (Claim claim : this.redis.claim(chunk)) {
					ArchiveRow row = classify(claim, now, outcome);
					if (row != null) {
						rows.add(row);
					}
				}
				for (ArchiveRow row : withParticipants(rows, now, outcome)) {
					long estimate = Claim.estimatedBytes(row.meta(), row.claimedCount());
					((estimate > LARGE_BYTES) ? large : small).add(row);
					bytes += estimate;
				}
				claimed += chunk.size();
			}
			this.redisBackoff.succeeded();
		}
		catch (DataAccessException ex) {
			long retryAt = this.redisBackoff.failed(now);
			logger.warn("Could not claim " + (batch.size() - claimed) + " sessions, Redis failed (" + ex.getMessage()
					+ "); the sweep retries them in " + (retryAt - now) + " ms");
			this.metrics.failure("redis", batch.size() - claimed);
			batch.subList(claimed, batch.size()).forEach((ref) -> outcome.retryAt.put(ref, retryAt));
			claimed = batch.size();
		}
		return new Claimed(small, large, claimed);
	}

	/**
	 * Claims one instance again, renewing its claim: a large session whose turn came after
	 * the others of its batch.
	 * @return its row, or {@code null} with the outcome noted
	 */
	ArchiveRow reclaim(SessionRef ref, long now, BatchOutcome outcome) {
		ArchiveRow row = classify(this.redis.claim(List.of(ref)).get(0), now, outcome);
		return (row != null) ? withParticipants(List.of(row), now, outcome).stream().findFirst().orElse(null) : null;
	}

	/**
	 * The rows with their participants, read after their claims; a row whose users hash
	 * cannot be archived is isolated instead.
	 * @throws DataAccessException when Redis cannot be used
	 */
	private List<ArchiveRow> withParticipants(List<ArchiveRow> rows, long now, BatchOutcome outcome) {
		if (rows.isEmpty()) {
			return rows;
		}
		Map<SessionRef, ParticipantReader.Users> users = this.participants
			.read(rows.stream().map(ArchiveRow::ref).toList());
		List<ArchiveRow> complete = new ArrayList<>(rows.size());
		for (ArchiveRow row : rows) {
			ParticipantReader.Users found = users.get(row.ref());
			if (found.problem() != null) {
				this.isolation.failed(row.ref(), found.problem(), "invalid-data", now, outcome);
			}
			else {
				complete.add(row.withParticipants(found.participants()));
			}
		}
		return complete;
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
			case ERROR -> this.isolation.failed(ref, "the claim script answered an error: " + claim.detail(),
					"invalid-data", now, outcome);
		}
		return null;
	}

}
