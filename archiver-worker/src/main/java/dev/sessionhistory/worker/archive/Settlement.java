package dev.sessionhistory.worker.archive;

import java.time.Duration;

import dev.sessionhistory.worker.archive.ArchiveTable.Result;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * What follows a batch's commit: Redis is told the outcome in one round trip (purge the
 * archived, re-score and release the others), then each new archive is counted and
 * logged. Rows committed are safe whatever Redis answers: an attempt that finds its row
 * in the table purges.
 */
@Component
class Settlement {

	private static final Log logger = LogFactory.getLog(Settlement.class);

	private final RedisInstances redis;

	private final ArchiveMetrics metrics;

	Settlement(RedisInstances redis, ArchiveMetrics metrics) {
		this.redis = redis;
		this.metrics = metrics;
	}

	/** Applies the outcome of {@code sessions} sessions in Redis; a failure leaves them to the sweep. */
	void settle(BatchOutcome outcome, int sessions) {
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

	/**
	 * Counts and logs one row in the table: an archive this attempt wrote, or one an
	 * earlier attempt did (then only its purge was left to do).
	 * @param row the row, with its meta
	 * @param messageCount how many messages it holds
	 * @param malformed how many of them were wrapped
	 * @param result what its insert found
	 * @param trigger what made the worker look at it
	 * @param committed when its transaction committed, epoch ms
	 * @param started when its batch started, epoch ms
	 */
	void archived(ArchiveRow row, long messageCount, int malformed, Result result, Trigger trigger, long committed,
			long started) {
		if (result != Result.INSERTED) {
			logger.debug("Session " + row.ref().member() + " was archived before; purged its Redis data");
			return;
		}
		Duration lag = Duration.ofMillis(committed - row.meta().effectiveEndedAt().toEpochMilli());
		this.metrics.archived(trigger, messageCount, malformed, lag);
		if (logger.isInfoEnabled()) {
			logger.info("Archived session " + row.ref().member() + " (trigger " + trigger.tag() + ", "
					+ row.meta().effectiveEndReason() + "): " + messageCount + " messages"
					+ ((malformed > 0) ? " (" + malformed + " malformed)" : "") + " in " + (committed - started)
					+ " ms, " + lag.toMillis() + " ms after its end");
		}
	}

}
