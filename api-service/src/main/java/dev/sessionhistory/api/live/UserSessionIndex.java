package dev.sessionhistory.api.live;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionMeta;

import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
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

	UserSessionIndex(StringRedisTemplate redis, RedisKeys keys, HistoryProperties properties, Clock clock) {
		this.redis = redis;
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
		pipelined((redis) -> {
			redis.opsForZSet().addIfAbsent(key, member, now);
			redis.expire(key, this.keep);
		});
	}

	/**
	 * Up to {@code count} entries, newest first, from {@code maxScore} (inclusive) down,
	 * skipping the first {@code skip}; each with what its instance says of the user.
	 */
	public List<Entry> page(String userId, double maxScore, long skip, int count) {
		String key = this.keys.userSessions(userId);
		Set<TypedTuple<String>> tuples = this.redis.opsForZSet()
			.reverseRangeByScoreWithScores(key, Double.NEGATIVE_INFINITY, maxScore, skip, count);
		List<String> members = new ArrayList<>();
		List<SessionRef> refs = new ArrayList<>();
		List<Long> scores = new ArrayList<>();
		for (TypedTuple<String> tuple : (tuples != null) ? tuples : Set.<TypedTuple<String>>of()) {
			members.add(tuple.getValue());
			refs.add(RedisKeys.parseRef(tuple.getValue()).orElse(null));
			scores.add((tuple.getScore() != null) ? tuple.getScore().longValue() : 0);
		}
		if (refs.isEmpty()) {
			return List.of();
		}
		List<String> fields = List.of(SessionMeta.SESSION_ID, SessionMeta.CODE, SessionMeta.CREATED_AT,
				SessionMeta.TTL_MILLIS, SessionMeta.EXPIRES_AT, SessionMeta.STATUS, SessionMeta.ENDED_AT,
				SessionMeta.END_REASON, SessionMeta.OWNER);
		List<Object> replies = pipelined((redis) -> {
			for (SessionRef ref : refs) {
				if (ref != null) {
					redis.<String, String>opsForHash().multiGet(this.keys.meta(ref.code(), ref.sessionId()), fields);
					redis.opsForValue().get(this.keys.live(ref.code()));
					redis.opsForList().size(this.keys.messages(ref.code(), ref.sessionId()));
					redis.<String, String>opsForHash().get(this.keys.participants(ref.code(), ref.sessionId()), userId);
				}
			}
			redis.expire(key, this.keep);
		});
		List<Entry> entries = new ArrayList<>(refs.size());
		List<String> stale = new ArrayList<>();
		int at = 0;
		for (int i = 0; i < refs.size(); i++) {
			SessionRef ref = refs.get(i);
			if (ref == null) {
				stale.add(members.get(i));
				entries.add(new Entry(scores.get(i), null, null, false, 0, null));
				continue;
			}
			@SuppressWarnings("unchecked")
			List<String> values = (List<String>) replies.get(at);
			Object live = replies.get(at + 1);
			long messages = (replies.get(at + 2) instanceof Long length) ? length : 0;
			Object rights = replies.get(at + 3);
			at += 4;
			SessionMeta meta = null;
			if (values != null && values.stream().anyMatch((value) -> value != null)) {
				try {
					meta = SessionMeta.fromHash(hash(fields, values));
				}
				catch (RuntimeException ex) {
					meta = null; // a foreign writer's broken meta: not listed, and the API's reads refuse it too
				}
			}
			String role = (meta == null) ? null : meta.owner().filter(userId::equals).isPresent() ? "owner"
					: (rights != null) ? "participant" : null;
			if (meta == null || role == null || !meta.code().equals(ref.code())) {
				stale.add(ref.member());
				entries.add(new Entry(scores.get(i), ref, null, false, 0, null));
				continue;
			}
			boolean isLive = ref.sessionId().toString().equals(live) && SessionMeta.ACTIVE.equals(meta.status());
			entries.add(new Entry(scores.get(i), ref, meta, isLive, messages, role));
		}
		if (!stale.isEmpty()) {
			this.redis.opsForZSet().remove(key, stale.toArray());
		}
		return entries;
	}

	/** The commands {@code work} sends, in one pipeline, and their replies in order. */
	private List<Object> pipelined(Consumer<RedisOperations<String, String>> work) {
		return this.redis.executePipelined(new SessionCallback<Object>() {

			@Override
			@SuppressWarnings("unchecked")
			public <K, V> Object execute(RedisOperations<K, V> operations) {
				work.accept((RedisOperations<String, String>) operations);
				return null;
			}

		});
	}

	private static Map<String, String> hash(List<String> fields, List<String> values) {
		Map<String, String> hash = new LinkedHashMap<>();
		for (int i = 0; i < fields.size(); i++) {
			if (values.get(i) != null) {
				hash.put(fields.get(i), values.get(i));
			}
		}
		return hash;
	}

	/**
	 * One entry of a user's index, checked.
	 *
	 * @param score when the user came to the instance (epoch ms), its place in the index
	 * @param ref the instance, {@code null} for an entry that names none (removed)
	 * @param meta its meta, {@code null} when the entry was stale (removed)
	 * @param live whether it is the live instance of its code
	 * @param messageCount how many messages it holds
	 * @param role {@code owner} or {@code participant}
	 */
	public record Entry(long score, SessionRef ref, SessionMeta meta, boolean live, long messageCount, String role) {

		/** Whether the entry names an instance in Redis that is the user's. */
		public boolean valid() {
			return this.meta != null;
		}

	}

}
