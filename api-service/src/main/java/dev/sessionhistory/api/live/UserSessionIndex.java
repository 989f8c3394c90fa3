package dev.sessionhistory.api.live;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.model.Pipeline;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ZAddArgs;

import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The per-user index of the instances in Redis that a user owns or participates in
 * ({@link RedisKeys#userSessions}), for the live half of "my sessions".
 * <p>
 * The index lives in another slot than the sessions' keys, so no script can write both at
 * once, on Redis Cluster least of all. It is written first, before the script that makes
 * the user an owner or participant, and trusted for nothing: every entry read is checked
 * against its instance's meta and users hash in the same round trip, and one whose
 * instance is gone (archived and purged, or never created) or does not name the user is
 * removed then. So an entry can be stale for a while but never missing while its instance
 * is in Redis (foreign writers, which need not write the index, are the exception: their
 * sessions are listed once archived). Each write and each read keeps the index for twice
 * the longest session plus the safety TTL.
 */
@Component
public class UserSessionIndex {

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final Clock clock;

	private final Duration keep;

	private final LiveInstances instances;

	UserSessionIndex(StringRedisTemplate redis, RedisKeys keys, LiveInstances instances, HistoryProperties properties,
			Clock clock) {
		this.redis = redis;
		this.instances = instances;
		this.keys = keys;
		this.clock = clock;
		this.keep = properties.session().maxTtl().multipliedBy(2).plus(properties.safetyTtl());
	}

	/**
	 * Lists an instance for a user, by the time the user came to it (now); an instance
	 * listed already keeps its place.
	 */
	public void add(String userId, String code, UUID sessionId) {
		String key = this.keys.userSessions(userId);
		String member = new SessionRef(code, sessionId).member();
		long now = this.clock.millis();
		byte[] index = Pipeline.bytes(key);
		List<Object> replies = Pipeline.run(this.redis, (commands, futures) -> {
			futures.add(commands.zadd(index, ZAddArgs.Builder.nx(), now, Pipeline.bytes(member)));
			futures.add(commands.expire(index, this.keep));
		});
		for (Object reply : replies) {
			if (reply instanceof RedisCommandExecutionException ex) {
				throw new RedisSystemException("Redis refused a write of " + key + ": " + ex.getMessage(), ex);
			}
		}
	}

	/**
	 * Up to {@code count} entries, newest first, from {@code maxScore} (inclusive) down,
	 * skipping the first {@code skip}; each with what its instance says of the user.
	 */
	public List<IndexPages.Entry> page(String userId, double maxScore, long skip, int count) {
		String key = this.keys.userSessions(userId);
		List<LiveInstances.Scored> scored = this.instances.range(key, maxScore, skip, count);
		if (scored.isEmpty()) {
			return List.of();
		}
		List<LiveInstances.Checked> checked = this.instances.check(
				scored.stream().map(LiveInstances.Scored::ref).toList(), userId,
				(commands, futures) -> futures.add(commands.expire(Pipeline.bytes(key), this.keep)));
		List<IndexPages.Entry> entries = new ArrayList<>(scored.size());
		List<String> stale = new ArrayList<>();
		for (int i = 0; i < scored.size(); i++) {
			LiveInstances.Checked instance = checked.get(i);
			boolean theirs = instance != null && instance.meta() != null && instance.role() != null;
			if (!theirs) {
				stale.add(scored.get(i).member());
			}
			entries.add(new IndexPages.Entry(scored.get(i).score(), theirs ? instance : null));
		}
		if (!stale.isEmpty()) {
			this.redis.opsForZSet().remove(key, stale.toArray());
		}
		return entries;
	}

}
