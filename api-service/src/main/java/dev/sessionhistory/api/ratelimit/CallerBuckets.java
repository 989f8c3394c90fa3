package dev.sessionhistory.api.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.model.RedisKeys;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.manual.ManuallySyncingOptimization;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce.LettuceBasedProxyManagerBuilder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.annotation.Scheduled;

/**
 * Every caller's buckets, one per budget: shared by all API replicas through Redis, counted
 * locally in between.
 * <p>
 * Each shared bucket is a Bucket4j proxy with the {@link ManuallySyncingOptimization}: after
 * its first use (one round trip, to read the bucket's state) it answers from its copy in
 * memory, and {@link #synchronize} adds what it counted to the bucket in Redis and reads
 * back what the other replicas counted, every {@code history.rate-limit.sync-interval}, in
 * the background. So a request costs no Redis round trip, and the limits hold across
 * replicas up to what each counted since its last synchronisation. The other optimizations
 * of Bucket4j were weighed: {@code delaying} and {@code predicting} synchronise on the
 * request's thread whenever their threshold is reached, and {@code batching} still sends
 * every request to Redis. The proxies are kept for {@code history.rate-limit.period} after
 * their last use (a bucket left alone that long is full again, so nothing is lost when it
 * is forgotten) and at most {@code max-buckets} of them; the keys in Redis expire once their
 * bucket would be full again, plus a minute, so neither grows without bound.
 * <p>
 * With Redis unreachable (a shared bucket's first read or a synchronisation failed) the
 * buckets are local ones, kept the same way, logged once; {@link #synchronize} pings Redis
 * until it answers and then shares the buckets again. A caller's budget is per replica in
 * the meantime, and starts afresh, which suits an outage better than refusing everyone.
 */
final class CallerBuckets {

	private static final Log log = LogFactory.getLog(CallerBuckets.class);

	/** Kept in Redis after a bucket is full again: a margin for clocks and the sync interval. */
	private static final Duration KEEP_AFTER_REFILL = Duration.ofMinutes(1);

	private static final Duration PING_TIMEOUT = Duration.ofSeconds(1);

	private final AsyncProxyManager<byte[]> proxyManager;

	private final RateLimitRedis redis;

	private final RedisKeys keys;

	private final Map<Budget, BucketConfiguration> configurations;

	private final Cache<BucketKey, AsyncBucketProxy> shared;

	private final Cache<BucketKey, Bucket> local;

	private final AtomicBoolean redisDown = new AtomicBoolean();

	CallerBuckets(RateLimitRedis redis, RedisKeys keys, HistoryProperties.RateLimit settings) {
		this.proxyManager = new LettuceBasedProxyManagerBuilder<>(redis.api())
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL))
			.build()
			.asAsync();
		this.redis = redis;
		this.keys = keys;
		this.configurations = Budget.configurations(settings);
		this.shared = Caffeine.newBuilder()
			.maximumSize(settings.maxBuckets())
			.expireAfterAccess(settings.period())
			.build();
		this.local = Caffeine.newBuilder()
			.maximumSize(settings.maxBuckets())
			.expireAfterAccess(settings.period())
			.build();
	}

	/**
	 * Takes a request from the caller's budget.
	 * @return 0 if it was taken, else the nanoseconds until the budget has one again
	 */
	long take(String caller, Budget budget) {
		return ask(caller, budget, (proxy) -> proxy.tryConsumeAndReturnRemaining(1).thenApply(CallerBuckets::waitOf),
				(bucket) -> waitOf(bucket.tryConsumeAndReturnRemaining(1)));
	}

	/** @return 0 if the caller's budget has a request left, else the nanoseconds until it has */
	long waitIfEmpty(String caller, Budget budget) {
		return ask(caller, budget, (proxy) -> proxy.estimateAbilityToConsume(1).thenApply(CallerBuckets::waitOf),
				(bucket) -> waitOf(bucket.estimateAbilityToConsume(1)));
	}

	/** Whether the shared buckets are out of reach, and local ones count meanwhile. */
	boolean isLocal() {
		return this.redisDown.get();
	}

	/**
	 * Adds what each shared bucket counted since the last time to Redis and reads back the
	 * other replicas' counts, all at once (one pipeline on the connection); while Redis is
	 * out of reach, looks whether it is back.
	 */
	@Scheduled(fixedDelayString = "${history.rate-limit.sync-interval:1s}")
	void synchronize() {
		if (this.redisDown.get()) {
			if (!this.redis.ping(PING_TIMEOUT)) {
				return;
			}
			log.info("Redis answers again: rate limits are shared by the replicas again");
			this.redisDown.set(false);
		}
		try {
			CompletableFuture
				.allOf(this.shared.asMap()
					.values()
					.stream()
					.map((proxy) -> proxy.getOptimizationController().syncByCondition(1, Duration.ZERO))
					.toArray(CompletableFuture[]::new))
				.join();
		}
		catch (RuntimeException ex) {
			lost(ex);
		}
	}

	private long ask(String caller, Budget budget, Function<AsyncBucketProxy, CompletableFuture<Long>> shared,
			Function<Bucket, Long> local) {
		BucketKey key = new BucketKey(caller, budget);
		if (!this.redisDown.get()) {
			try {
				// completed already unless the bucket's state is read for the first time,
				// which Lettuce's command timeout bounds
				return shared.apply(this.shared.get(key, this::proxy)).join();
			}
			catch (RuntimeException ex) {
				lost(ex);
			}
		}
		return local.apply(this.local.get(key, this::localBucket));
	}

	private AsyncBucketProxy proxy(BucketKey key) {
		byte[] redisKey = this.keys.rateLimit(key.caller(), key.budget().tag()).getBytes(StandardCharsets.UTF_8);
		return this.proxyManager.builder()
			.withOptimization(new ManuallySyncingOptimization())
			.build(redisKey, () -> CompletableFuture.completedFuture(this.configurations.get(key.budget())));
	}

	private Bucket localBucket(BucketKey key) {
		return Bucket.builder().addLimit(this.configurations.get(key.budget()).getBandwidths()[0]).build();
	}

	private void lost(RuntimeException ex) {
		if (this.redisDown.compareAndSet(false, true)) {
			log.warn("Redis is unreachable: rate limits are counted by each replica alone until it is back ("
					+ ex.getMessage() + ")");
		}
	}

	private static long waitOf(ConsumptionProbe probe) {
		return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
	}

	private static long waitOf(EstimationProbe probe) {
		return probe.canBeConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
	}

	/** One caller's bucket for one budget. */
	private record BucketKey(String caller, Budget budget) {
	}

}
