package dev.sessionhistory.api.ratelimit;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import dev.sessionhistory.api.system.HistoryProperties;
import io.github.bucket4j.BucketConfiguration;

/**
 * The budgets a caller's requests are counted against ({@code history.rate-limit.*}), each
 * with its own bucket per caller.
 */
enum Budget {

	CREATE("create", "creates"),

	APPEND("append", "appends"),

	READ("read", "reads"),

	/** Answers 404, and 409 to a create: the answers that tell a guesser something. */
	NOT_FOUND("not-found", "not-found");

	private final String tag;

	private final String setting;

	Budget(String tag, String setting) {
		this.tag = tag;
		this.setting = setting;
	}

	/** Its name in keys and metrics. */
	String tag() {
		return this.tag;
	}

	/** Its setting, under {@code history.rate-limit.}. */
	String setting() {
		return "history.rate-limit." + this.setting;
	}

	/**
	 * One bucket per budget and caller, refilled greedily (a token at a time, spread over
	 * the period) rather than all at once, so a caller that used its budget up gets
	 * requests back soon, one by one, instead of a burst at the turn of the period.
	 */
	static Map<Budget, BucketConfiguration> configurations(HistoryProperties.RateLimit settings) {
		Map<Budget, BucketConfiguration> configurations = new EnumMap<>(Budget.class);
		configurations.put(CREATE, configuration(settings.creates(), settings.period()));
		configurations.put(APPEND, configuration(settings.appends(), settings.period()));
		configurations.put(READ, configuration(settings.reads(), settings.period()));
		configurations.put(NOT_FOUND, configuration(settings.notFound(), settings.period()));
		return configurations;
	}

	private static BucketConfiguration configuration(long capacity, Duration period) {
		return BucketConfiguration.builder()
			.addLimit((limit) -> limit.capacity(capacity).refillGreedy(capacity, period))
			.build();
	}

}
