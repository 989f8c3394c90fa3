package dev.sessionhistory.worker.events;

import dev.sessionhistory.model.RedisKeys.SessionRef;

/**
 * What the event subscription tells the worker, queued for the {@link EventQueue}'s next
 * batch. Each kind adds itself to the {@link EventBatch} it falls into.
 */
sealed interface SessionEvent {

	void addTo(EventBatch batch);

	/** The live key of {@code code} expired: its ended instances can be archived. */
	record Expired(String code) implements SessionEvent {

		@Override
		public void addTo(EventBatch batch) {
			batch.expired(this.code);
		}

	}

	/** The instance was ended explicitly (published on the events channel). */
	record Ended(SessionRef ref) implements SessionEvent {

		@Override
		public void addTo(EventBatch batch) {
			batch.ended(this.ref);
		}

	}

	/** The subscription (re)started: events may have been missed meanwhile. */
	record Subscribed() implements SessionEvent {

		@Override
		public void addTo(EventBatch batch) {
			batch.subscribed();
		}

	}

}
