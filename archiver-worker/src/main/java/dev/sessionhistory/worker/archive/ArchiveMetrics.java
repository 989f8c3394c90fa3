package dev.sessionhistory.worker.archive;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * The archive meters, {@code history.archive.*}.
 */
@Component
class ArchiveMetrics {

	private final Map<Trigger, Counter> sessions = new EnumMap<>(Trigger.class);

	private final Counter messages;

	private final Counter malformed;

	private final Counter retries;

	private final Counter erased;

	private final Timer lag;

	private final Timer batches;

	private final MeterRegistry registry;

	ArchiveMetrics(MeterRegistry registry) {
		this.registry = registry;
		for (Trigger trigger : Trigger.values()) {
			this.sessions.put(trigger, Counter.builder("history.archive.sessions")
				.description("Sessions archived, by what triggered the archive")
				.tag("trigger", trigger.tag())
				.register(registry));
		}
		this.messages = Counter.builder("history.archive.messages")
			.description("Messages archived")
			.register(registry);
		this.malformed = Counter.builder("history.archive.malformed")
			.description("Malformed message entries, archived wrapped")
			.register(registry);
		this.retries = Counter.builder("history.archive.retries")
			.description("Sessions scheduled for another attempt after a failure")
			.register(registry);
		this.erased = Counter.builder("history.archive.erased")
			.description("Sessions not archived because they were erased first; their Redis data purged")
			.register(registry);
		this.lag = Timer.builder("history.archive.lag")
			.description("From the end of a session to the commit of its archive")
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(10))
			.maximumExpectedValue(Duration.ofMinutes(10))
			.register(registry);
		this.batches = Timer.builder("history.archive.batch")
			.description("Duration of one archive batch, claim to purge")
			.register(registry);
		for (String reason : new String[] { "redis", "database", "invalid-data", "conflict" }) {
			failure(reason, 0);
		}
	}

	/** The gauge of instances isolated after a failed attempt, waiting for their own retry. */
	void isolated(Supplier<Number> count) {
		Gauge.builder("history.archive.isolated", count)
			.description("Sessions whose last archive attempt failed, each retried on its own backoff")
			.register(this.registry);
	}

	void archived(Trigger trigger, long messageCount, int malformedCount, Duration lag) {
		this.sessions.get(trigger).increment();
		this.messages.increment(messageCount);
		this.malformed.increment(malformedCount);
		this.lag.record(lag.isNegative() ? Duration.ZERO : lag);
	}

	/**
	 * @param reason {@code redis} or {@code database} (unreachable, or one session's
	 * window failing), {@code invalid-data} (one session whose data cannot be archived as
	 * it is), {@code conflict} (its session id is archived already for another instance)
	 */
	void failure(String reason, int sessionCount) {
		Counter.builder("history.archive.failures")
			.description("Sessions whose archive attempt failed, by reason")
			.tag("reason", reason)
			.register(this.registry)
			.increment(sessionCount);
	}

	void retries(int sessionCount) {
		this.retries.increment(sessionCount);
	}

	void erasedBeforeArchive() {
		this.erased.increment();
	}

	void batch(Duration duration) {
		this.batches.record(duration);
	}

}
