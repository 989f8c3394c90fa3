package dev.sessionhistory.worker.archive;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.worker.system.HistoryProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * Sessions that cannot be archived now are isolated: each is retried on its own backoff,
 * logged once per attempt with its code and id, and counted
 * ({@code history.archive.failures{reason}}, {@code history.archive.isolated}), while the
 * others of its batch go on.
 */
@Component
class Isolation {

	private static final Log logger = LogFactory.getLog(Isolation.class);

	private final ArchiveMetrics metrics;

	private final long retryMinMillis;

	private final long invalidRetryMillis;

	/** Failed attempts in a row of each isolated instance. */
	private final Map<SessionRef, Integer> attempts = new ConcurrentHashMap<>();

	Isolation(ArchiveMetrics metrics, HistoryProperties properties) {
		this.metrics = metrics;
		this.retryMinMillis = properties.archive().backoffMin().toMillis();
		this.invalidRetryMillis = properties.archive().invalidRetry().toMillis();
		metrics.isolated(this.attempts::size);
	}

	/**
	 * Isolates one instance that cannot be archived now: it is retried on its own, logged
	 * once per attempt. Data that cannot be archived as it is waits
	 * {@code history.archive.invalid-retry} (it will not mend itself soon); a failing window
	 * backs off from {@code history.archive.backoff-min}, doubling up to that.
	 */
	void failed(SessionRef ref, String reason, String metric, long now, BatchOutcome outcome) {
		int attempt = this.attempts.merge(ref, 1, Integer::sum);
		long delay = "redis".equals(metric)
				? Math.min(this.invalidRetryMillis, this.retryMinMillis << Math.min(attempt - 1, 30))
				: this.invalidRetryMillis;
		logger.error("Cannot archive session " + ref.member() + " (attempt " + attempt + "): " + reason
				+ ". Its data stays in Redis; next attempt in " + Duration.ofMillis(delay));
		this.metrics.failure(metric, 1);
		this.metrics.retries(1);
		outcome.retryAt.put(ref, now + delay);
		outcome.release.add(ref);
	}

	/** The instance was archived: it is no longer isolated. */
	void succeeded(SessionRef ref) {
		this.attempts.remove(ref);
	}

}
