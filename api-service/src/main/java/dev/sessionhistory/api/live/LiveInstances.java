package dev.sessionhistory.api.live;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;

import dev.sessionhistory.model.Pipeline;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionMeta;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.Range.Boundary;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.stereotype.Component;

/**
 * The instances in Redis as lists see them: a range of an index (the due index, a user's
 * index) and what each named instance holds, checked in one round trip per batch on the
 * shared connection ({@link Pipeline}; Spring Data's pipelines take a connection of their own
 * and do not work on Redis Cluster): its meta,
 * whether it is its code's live one, how many messages it has and, for a user, their part
 * in it. Every reply is bounded by the count asked for.
 */
@Component
public class LiveInstances {

	private static final List<String> FIELDS = List.of(SessionMeta.SESSION_ID, SessionMeta.CODE,
			SessionMeta.CREATED_AT, SessionMeta.TTL_MILLIS, SessionMeta.EXPIRES_AT, SessionMeta.STATUS,
			SessionMeta.ENDED_AT, SessionMeta.END_REASON, SessionMeta.OWNER);

	private static final byte[][] FIELD_BYTES = FIELDS.stream().map(Pipeline::bytes).toArray(byte[][]::new);

	/** The order of {@code ZREVRANGEBYSCORE}: score, then member, both descending. */
	private static final Comparator<Scored> LATEST_DUE_FIRST = Comparator.comparingLong(Scored::score)
		.thenComparing(Scored::member)
		.reversed();

	/** The most pending instances of one code read (create refuses a code while one waits). */
	private static final long PENDING_READ = 16;

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	LiveInstances(StringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/** Up to {@code count} members of a sorted set, highest score first, from {@code max} down, past {@code skip}. */
	List<Scored> range(String key, double max, long skip, int count) {
		Set<TypedTuple<String>> tuples = this.redis.opsForZSet()
			.reverseRangeByScoreWithScores(key, Double.NEGATIVE_INFINITY, max, skip, count);
		List<Scored> scored = new ArrayList<>();
		for (TypedTuple<String> tuple : (tuples != null) ? tuples : Set.<TypedTuple<String>>of()) {
			scored.add(new Scored(tuple.getValue(), RedisKeys.parseRef(tuple.getValue()).orElse(null),
					(tuple.getScore() != null) ? tuple.getScore().longValue() : 0));
		}
		return scored;
	}

	/**
	 * Up to {@code count} instances in Redis, the latest due first: every instance is in the
	 * due index, scored by when its data is due (its expiry while live), from {@code max}
	 * down, past {@code skip}. The index is split into buckets: each bucket's first
	 * {@code skip + count} are read in one round trip and merged as one sorted set would
	 * order them (by score, ties by member, both descending), so the page is the same
	 * whatever the bucket count. {@code skip} only counts the ties of one score, so the
	 * reads stay small.
	 */
	public List<Scored> byDue(double max, long skip, int count) {
		Range<Double> range = Range.from(Boundary.unbounded(), Boundary.including(max));
		Limit limit = Limit.create(0, skip + count);
		List<Object> replies = Pipeline.run(this.redis, (commands, futures) -> {
			for (int bucket = 0; bucket < this.keys.dueBuckets(); bucket++) {
				futures.add(commands.zrevrangebyscoreWithScores(Pipeline.bytes(this.keys.dueBucket(bucket)), range, limit));
			}
		});
		List<Scored> merged = new ArrayList<>();
		for (Object reply : replies) {
			if (reply instanceof RedisCommandExecutionException ex) {
				throw new RedisSystemException("Redis refused a read of the due index: " + ex.getMessage(), ex);
			}
			for (Object element : (List<?>) reply) {
				if (element instanceof ScoredValue<?> scored && scored.getValue() instanceof byte[] value) {
					String member = new String(value, StandardCharsets.UTF_8);
					merged.add(new Scored(member, RedisKeys.parseRef(member).orElse(null), (long) scored.getScore()));
				}
			}
		}
		merged.sort(LATEST_DUE_FIRST);
		return merged.subList((int) Math.min(skip, merged.size()), (int) Math.min(skip + count, merged.size()));
	}

	/** The instances of one code in Redis: its live one and those waiting for their archive. */
	public List<SessionRef> ofCode(String code) {
		List<SessionRef> refs = new ArrayList<>();
		String live = this.redis.opsForValue().get(this.keys.live(code));
		RedisKeys.parseSessionId(live).ifPresent((sessionId) -> refs.add(new SessionRef(code, sessionId)));
		Set<String> pending = this.redis.opsForSet().distinctRandomMembers(this.keys.pending(code), PENDING_READ);
		for (String member : (pending != null) ? pending : Set.<String>of()) {
			RedisKeys.parseSessionId(member)
				.map((sessionId) -> new SessionRef(code, sessionId))
				.filter((ref) -> !refs.contains(ref))
				.ifPresent(refs::add);
		}
		return refs;
	}

	/**
	 * What each instance holds now, in one round trip; {@code null} refs stay {@code null}
	 * entries.
	 * @param userId whose part to read ({@code owner}, {@code participant}), or {@code null}
	 */
	public List<Checked> check(List<SessionRef> refs, @Nullable String userId) {
		return check(refs, userId, (commands, futures) -> {
		});
	}

	/** As {@link #check(List, String)}, sending {@code also} in the same round trip. */
	List<Checked> check(List<SessionRef> refs, @Nullable String userId,
			BiConsumer<RedisClusterAsyncCommands<byte[], byte[]>, List<RedisFuture<?>>> also) {
		List<Object> replies = Pipeline.run(this.redis, (commands, futures) -> {
			for (SessionRef ref : refs) {
				if (ref != null) {
					futures.add(commands.hmget(Pipeline.bytes(this.keys.meta(ref.code(), ref.sessionId())), FIELD_BYTES));
					futures.add(commands.get(Pipeline.bytes(this.keys.live(ref.code()))));
					futures.add(commands.llen(Pipeline.bytes(this.keys.messages(ref.code(), ref.sessionId()))));
					if (userId != null) {
						futures.add(commands.hget(Pipeline.bytes(this.keys.participants(ref.code(), ref.sessionId())),
								Pipeline.bytes(userId)));
					}
				}
			}
			also.accept(commands, futures);
		});
		List<Checked> checked = new ArrayList<>(refs.size());
		int at = 0;
		for (SessionRef ref : refs) {
			if (ref == null) {
				checked.add(null);
				continue;
			}
			List<String> values = values(replies.get(at));
			Object live = replies.get(at + 1);
			long messages = (replies.get(at + 2) instanceof Long length) ? length : 0;
			Object rights = (userId != null) ? replies.get(at + 3) : null;
			at += (userId != null) ? 4 : 3;
			SessionMeta meta = meta(values);
			if (meta != null && !meta.code().equals(ref.code())) {
				meta = null;
			}
			String role = (meta == null || userId == null) ? null
					: meta.owner().filter(userId::equals).isPresent() ? "owner"
							: (rights instanceof String) ? "participant" : null;
			boolean isLive = meta != null && ref.sessionId().toString().equals(live)
					&& SessionMeta.ACTIVE.equals(meta.status());
			checked.add(new Checked(ref, meta, isLive, messages, role));
		}
		return checked;
	}

	/**
	 * The participants of an instance (its owner is in its meta), by user id, each with their
	 * rights as stored: at most {@code history.session.max-participants} of them.
	 */
	public Map<String, String> participants(String code, UUID sessionId) {
		return this.redis.<String, String>opsForHash().entries(this.keys.participants(code, sessionId));
	}

	private static SessionMeta meta(List<String> values) {
		if (values == null || values.stream().allMatch((value) -> value == null)) {
			return null;
		}
		Map<String, String> hash = new LinkedHashMap<>();
		for (int i = 0; i < FIELDS.size(); i++) {
			if (values.get(i) != null) {
				hash.put(FIELDS.get(i), values.get(i));
			}
		}
		try {
			return SessionMeta.fromHash(hash);
		}
		catch (RuntimeException ex) {
			return null; // a foreign writer's broken meta: not listed, and the API's reads refuse it too
		}
	}

	/**
	 * The values of an {@code HMGET} reply, {@code null} for fields that are absent; all
	 * {@code null} for an error reply (a foreign writer's key of another type).
	 */
	private static List<String> values(Object reply) {
		List<String> values = new ArrayList<>(FIELDS.size());
		List<?> fields = (reply instanceof List<?> list) ? list : List.of();
		for (int i = 0; i < FIELDS.size(); i++) {
			values.add((i < fields.size() && fields.get(i) instanceof KeyValue<?, ?> field && field.hasValue()
					&& field.getValue() instanceof byte[] value) ? new String(value, StandardCharsets.UTF_8) : null);
		}
		return values;
	}

	/**
	 * A member of an index.
	 *
	 * @param member as stored
	 * @param ref the instance it names, {@code null} for one that names none
	 * @param score its score
	 */
	public record Scored(String member, @Nullable SessionRef ref, long score) {
	}

	/**
	 * An instance as Redis holds it now.
	 *
	 * @param ref the instance
	 * @param meta its meta, {@code null} when it has none (gone) or a broken one
	 * @param live whether it is the live instance of its code
	 * @param messageCount how many messages it holds
	 * @param role the user's part in it, when a user was asked for: {@code owner},
	 * {@code participant}, or {@code null} for none
	 */
	public record Checked(SessionRef ref, @Nullable SessionMeta meta, boolean live, long messageCount,
			@Nullable String role) {
	}

}
