package dev.sessionhistory.worker.archive;

import dev.sessionhistory.worker.system.HistoryProperties;

import org.springframework.stereotype.Component;

/**
 * The retry delays after Redis and after PostgreSQL failures, shared by every batch of
 * this worker: a server that fails one batch fails the next as well, so a batch that
 * starts while either backs off leaves its sessions for later instead of failing again.
 */
@Component
class Backoffs {

	private final Backoff redis;

	private final Backoff database;

	Backoffs(HistoryProperties properties) {
		HistoryProperties.Archive archive = properties.archive();
		this.redis = new Backoff(archive.backoffMin(), archive.backoffMax());
		this.database = new Backoff(archive.backoffMin(), archive.backoffMax());
	}

	Backoff redis() {
		return this.redis;
	}

	Backoff database() {
		return this.database;
	}

	/** When to retry if {@code now} is within the delay of either server, else 0. */
	long waitingUntil(long now) {
		return Math.max(this.database.waitingUntil(now), this.redis.waitingUntil(now));
	}

}
