package dev.sessionhistory.worker.retention;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import dev.sessionhistory.worker.retention.RetentionTable.Deleted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The retention meters, {@code history.retention.*}.
 */
@Component
class RetentionMetrics {

	private final Counter deleted;

	private final Counter deletedBytes;

	private final Counter failures;

	private final AtomicReference<Instant> oldest = new AtomicReference<>();

	RetentionMetrics(MeterRegistry registry, Clock clock) {
		this.deleted = Counter.builder("history.retention.deleted")
			.description("Archives deleted by retention, each with its chunks and participants")
			.register(registry);
		this.deletedBytes = Counter.builder("history.retention.deleted.bytes")
			.description("Message bytes of the archives deleted by retention")
			.baseUnit("bytes")
			.register(registry);
		this.failures = Counter.builder("history.retention.failures")
			.description("Retention runs cut short by a failure (PostgreSQL unreachable, a timeout); the next run "
					+ "goes on")
			.register(registry);
		Gauge.builder("history.retention.oldest.age", this.oldest, (held) -> age(held.get(), clock))
			.description("How long ago the session of the oldest archive kept ended, as of the last retention run; "
					+ "NaN with no archive, or before the first run")
			.baseUnit("seconds")
			.register(registry);
	}

	void deleted(Deleted batch) {
		this.deleted.increment(batch.archives());
		this.deletedBytes.increment(batch.bytes());
	}

	void failed() {
		this.failures.increment();
	}

	void oldest(Optional<Instant> endedAt) {
		this.oldest.set(endedAt.orElse(null));
	}

	private static double age(Instant endedAt, Clock clock) {
		return (endedAt != null) ? (clock.millis() - endedAt.toEpochMilli()) / 1000.0 : Double.NaN;
	}

}
