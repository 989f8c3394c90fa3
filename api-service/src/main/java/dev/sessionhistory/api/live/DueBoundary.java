package dev.sessionhistory.api.live;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.sessionhistory.model.Pipeline;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionMeta;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.Range.Boundary;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScoredValue;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The due index ({@code sh:due}) split at a time, in two round trips of bounded commands
 * on the shared connection ({@link Pipeline}): how many members are due by then and how
 * many later ({@code ZCOUNT}), and what the first few of each side are now
 * ({@code ZRANGEBYSCORE … LIMIT}, then an {@code HMGET} of each one's status, end and
 * expiry). Nothing reads the whole index.
 */
@Component
public class DueBoundary {

	private static final byte[][] FIELDS = { Pipeline.bytes(SessionMeta.STATUS), Pipeline.bytes(SessionMeta.ENDED_AT),
			Pipeline.bytes(SessionMeta.EXPIRES_AT) };

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	DueBoundary(StringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/**
	 * The index split at {@code now}.
	 * @param first how many members of each side to look at, at most
	 */
	public Split split(Instant now, int first) {
		byte[] key = Pipeline.bytes(this.keys.due());
		double at = now.toEpochMilli();
		Range<Double> due = Range.from(Boundary.unbounded(), Boundary.including(at));
		Range<Double> later = Range.from(Boundary.excluding(at), Boundary.unbounded());
		Limit limit = Limit.create(0, first);
		List<Object> replies = Pipeline.run(this.redis, (redis, futures) -> {
			futures.add(redis.zcount(key, due));
			futures.add(redis.zcount(key, later));
			futures.add(redis.zrangebyscoreWithScores(key, due, limit));
			futures.add(redis.zrangebyscoreWithScores(key, later, limit));
		});
		for (Object reply : replies) {
			if (reply instanceof RedisCommandExecutionException ex) {
				throw new RedisSystemException("Redis refused a read of " + this.keys.due() + ": " + ex.getMessage(), ex);
			}
		}
		List<SessionRef> refs = refs(replies.get(2));
		int dueFirst = refs.size();
		refs.addAll(refs(replies.get(3)));
		List<Member> members = members(refs, now);
		return new Split((Long) replies.get(0), (Long) replies.get(1), members.subList(0, dueFirst),
				members.subList(dueFirst, members.size()));
	}

	/** What each instance is at {@code now}, in one round trip: {@code null} refs (members that name none) are gone. */
	private List<Member> members(List<SessionRef> refs, Instant now) {
		List<Object> replies = Pipeline.run(this.redis, (redis, futures) -> {
			for (SessionRef ref : refs) {
				if (ref != null) {
					futures.add(redis.hmget(Pipeline.bytes(this.keys.meta(ref.code(), ref.sessionId())), FIELDS));
				}
			}
		});
		List<Member> members = new ArrayList<>(refs.size());
		int at = 0;
		for (SessionRef ref : refs) {
			members.add((ref != null && replies.get(at++) instanceof List<?> meta) ? member(meta, now) : Member.GONE);
		}
		return members;
	}

	/**
	 * One instance judged by its meta alone, as {@link SessionMeta#endedAt(Instant)} does:
	 * live while its status is active and its expiry ahead (the live key expires with it,
	 * and an explicit end deletes the key as it writes the status); gone without a status or
	 * an expiry (no meta, or a foreign writer's broken one).
	 */
	private static Member member(List<?> meta, Instant now) {
		String status = field(meta, 0);
		String endedAt = field(meta, 1);
		String expiresAt = field(meta, 2);
		try {
			if (status == null || expiresAt == null) {
				return Member.GONE;
			}
			Instant expiry = Instant.ofEpochMilli(Long.parseLong(expiresAt));
			if (SessionMeta.ACTIVE.equals(status) && expiry.isAfter(now)) {
				return Member.LIVE;
			}
			return new Member(Member.State.ENDED,
					(endedAt != null) ? Instant.ofEpochMilli(Long.parseLong(endedAt)) : expiry);
		}
		catch (NumberFormatException ex) {
			return Member.GONE;
		}
	}

	/** A field of an {@code HMGET} reply, {@code null} when absent or empty. */
	private static @Nullable String field(List<?> meta, int index) {
		if (index < meta.size() && meta.get(index) instanceof KeyValue<?, ?> field && field.hasValue()
				&& field.getValue() instanceof byte[] value && value.length > 0) {
			return new String(value, StandardCharsets.UTF_8);
		}
		return null;
	}

	private static List<SessionRef> refs(Object reply) {
		List<SessionRef> refs = new ArrayList<>();
		for (Object scored : (List<?>) reply) {
			if (scored instanceof ScoredValue<?> member && member.getValue() instanceof byte[] value) {
				refs.add(RedisKeys.parseRef(new String(value, StandardCharsets.UTF_8)).orElse(null));
			}
		}
		return refs;
	}

	/**
	 * The due index at a time.
	 *
	 * @param due how many members are due by then (scored at or before it)
	 * @param later how many are due later
	 * @param dueFirst what the earliest due members are, earliest first
	 * @param laterFirst what the earliest of those due later are, earliest first
	 */
	public record Split(long due, long later, List<Member> dueFirst, List<Member> laterFirst) {
	}

	/**
	 * What a member's instance is now.
	 *
	 * @param state live, ended (or expired), or gone: no instance, or a broken one
	 * @param endedAt for an ended one, its end (its expiry until the worker records that)
	 */
	public record Member(State state, @Nullable Instant endedAt) {

		static final Member LIVE = new Member(State.LIVE, null);

		static final Member GONE = new Member(State.GONE, null);

		/** What an instance of the due index is. */
		public enum State {

			LIVE, ENDED, GONE

		}

	}

}
