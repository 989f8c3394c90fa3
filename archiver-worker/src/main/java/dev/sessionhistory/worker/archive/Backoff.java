package dev.sessionhistory.worker.archive;

import java.time.Duration;

/**
 * The retry delay after failures of one server: doubles with each failure in a row,
 * capped, and resets on the first success. One per server, shared by every batch
 * ({@link Backoffs}).
 */
final class Backoff {

	private final long minMillis;

	private final long maxMillis;

	private int failures;

	private long retryAt;

	Backoff(Duration min, Duration max) {
		this.minMillis = Math.max(1, min.toMillis());
		this.maxMillis = Math.max(this.minMillis, max.toMillis());
	}

	/** Records a failure at {@code now} and returns when to retry. */
	synchronized long failed(long now) {
		this.failures++;
		long delay = this.minMillis << Math.min(this.failures - 1, 30);
		this.retryAt = now + Math.min(delay, this.maxMillis);
		return this.retryAt;
	}

	synchronized void succeeded() {
		this.failures = 0;
		this.retryAt = 0;
	}

	/** When to retry if {@code now} is still within the delay, else 0. */
	synchronized long waitingUntil(long now) {
		return (now < this.retryAt) ? this.retryAt : 0;
	}

}
