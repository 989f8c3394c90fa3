package dev.sessionhistory.worker.events;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.worker.archive.Trigger;

/**
 * What one batch of events asks for, each instance and code once however many events
 * named it.
 */
final class EventBatch {

	private final Map<SessionRef, Trigger> ended = new LinkedHashMap<>();

	private final Set<String> expiredCodes = new LinkedHashSet<>();

	private boolean subscribed;

	private EventBatch() {
	}

	static EventBatch of(List<SessionEvent> events) {
		EventBatch batch = new EventBatch();
		events.forEach((event) -> event.addTo(batch));
		return batch;
	}

	void expired(String code) {
		this.expiredCodes.add(code);
	}

	void ended(SessionRef ref) {
		this.ended.put(ref, Trigger.END);
	}

	void subscribed() {
		this.subscribed = true;
	}

	/** The instances ended explicitly, each with {@link Trigger#END}. */
	Map<SessionRef, Trigger> endedInstances() {
		return this.ended;
	}

	/** The codes whose live key expired. */
	Set<String> expiredCodes() {
		return this.expiredCodes;
	}

	/** Whether the subscription (re)started. */
	boolean resubscribed() {
		return this.subscribed;
	}

}
