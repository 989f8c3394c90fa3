package dev.sessionhistory.api.live;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionMeta;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.stereotype.Component;

/**
 * The instances in Redis as lists see them: a range of an index ({@code sh:due}, a user's
 * index) and what each named instance holds, checked in one round trip per batch: its meta,
 * whether it is its code's live one, how many messages it has and, for a user, their part
 * in it. Every reply is bounded by the count asked for.
 */
@Component
public class LiveInstances {

	private static final List<String> FIELDS = List.of(SessionMeta.SESSION_ID, SessionMeta.CODE,
			SessionMeta.CREATED_AT, SessionMeta.TTL_MILLIS, SessionMeta.EXPIRES_AT, SessionMeta.STATUS,
			SessionMeta.ENDED_AT, SessionMeta.END_REASON, SessionMeta.OWNER);

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
	 * down, past {@code skip}.
	 */
	public List<Scored> byDue(double max, long skip, int count) {
		return range(this.keys.due(), max, skip, count);
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
		return check(refs, userId, (redis) -> {
		});
	}

	/** As {@link #check(List, String)}, sending {@code also} in the same pipeline. */
	List<Checked> check(List<SessionRef> refs, @Nullable String userId, Consumer<RedisOperations<String, String>> also) {
		List<Object> replies = pipelined((redis) -> {
			for (SessionRef ref : refs) {
				if (ref != null) {
					redis.<String, String>opsForHash().multiGet(this.keys.meta(ref.code(), ref.sessionId()), FIELDS);
					redis.opsForValue().get(this.keys.live(ref.code()));
					redis.opsForList().size(this.keys.messages(ref.code(), ref.sessionId()));
					if (userId != null) {
						redis.<String, String>opsForHash()
							.get(this.keys.participants(ref.code(), ref.sessionId()), userId);
					}
				}
			}
			also.accept(redis);
		});
		List<Checked> checked = new ArrayList<>(refs.size());
		int at = 0;
		for (SessionRef ref : refs) {
			if (ref == null) {
				checked.add(null);
				continue;
			}
			@SuppressWarnings("unchecked")
			List<String> values = (List<String>) replies.get(at);
			Object live = replies.get(at + 1);
			long messages = (replies.get(at + 2) instanceof Long length) ? length : 0;
			Object rights = (userId != null) ? replies.get(at + 3) : null;
			at += (userId != null) ? 4 : 3;
			SessionMeta meta = meta(values);
			if (meta != null && !meta.code().equals(ref.code())) {
				meta = null;
			}
			String role = (meta == null || userId == null) ? null
					: meta.owner().filter(userId::equals).isPresent() ? "owner" : (rights != null) ? "participant" : null;
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

	/** The commands {@code work} sends, in one pipeline, and their replies in order. */
	List<Object> pipelined(Consumer<RedisOperations<String, String>> work) {
		return this.redis.executePipelined(new SessionCallback<Object>() {

			@Override
			@SuppressWarnings("unchecked")
			public <K, V> Object execute(RedisOperations<K, V> operations) {
				work.accept((RedisOperations<String, String>) operations);
				return null;
			}

		});
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
