package dev.sessionhistory.api.live;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
 * The due index split at a time, in two round trips of bounded commands on the shared
 * connection ({@link Pipeline}): how many members of its buckets are due by then and how
 * many later ({@code ZCOUNT} of each), and what the first few of each side are now (the
 * first few of each bucket, {@code ZRANGEBYSCORE … LIMIT}, merged; then an {@code HMGET}
 * of each one's status, end and expiry). Nothing reads a whole bucket.
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
	 * The index split at {@code now}, all of its buckets together.
	 * @param first how many members of each side to look at, at most
	 */
	@SuppressWarnings("unchecked")
	public Split split(Instant now, int first) {
		double at = now.toEpochMilli();
		Range<Double> due = Range.from(Boundary.unbounded(), Boundary.including(at));
		Range<Double> later = Range.from(Boundary.excluding(at), Boundary.unbounded());
		Limit limit = Limit.create(0, first);
		int buckets = this.keys.dueBuckets();
		List<Object> replies = Pipeline.run(this.redis, (redis, futures) -> {
			for (int bucket = 0; bucket < buckets; bucket++) {
				byte[] key = Pipeline.bytes(this.keys.dueBucket(bucket));
				futures.add(redis.zcount(key, due));
				futures.add(redis.zcount(key, later));
				futures.add(redis.zrangebyscoreWithScores(key, due, limit));
				futures.add(redis.zrangebyscoreWithScores(key, later, limit));
			}
		});
		for (Object reply : replies) {
			if (reply instanceof RedisCommandExecutionException ex) {
				throw new RedisSystemException("Redis refused a read of the due index: " + ex.getMessage(), ex);
			}
		}
		long dueCount = 0;
		long laterCount = 0;
		List<ScoredValue<?>> dueMembers = new ArrayList<>();
		List<ScoredValue<?>> laterMembers = new ArrayList<>();
		for (int bucket = 0; bucket < buckets; bucket++) {
			dueCount += (Long) replies.get(4 * bucket);
			laterCount += (Long) replies.get(4 * bucket + 1);
			dueMembers.addAll((List<ScoredValue<?>>) replies.get(4 * bucket + 2));
			laterMembers.addAll((List<ScoredValue<?>>) replies.get(4 * bucket + 3));
		}
		List<SessionRef> refs = earliest(dueMembers, first);
		int dueFirst = refs.size();
		refs.addAll(earliest(laterMembers, first));
		List<Member> members = members(refs, now);
		return new Split(dueCount, laterCount, members.subList(0, dueFirst), members.subList(dueFirst, members.size()));
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

	/**
	 * The first {@code first} of the buckets' members as one sorted set orders them (score,
	 * then member), each as the instance it names ({@code null} for a member that names none).
	 */
	private static List<SessionRef> earliest(List<ScoredValue<?>> members, int first) {
		List<ScoredValue<?>> sorted = new ArrayList<>(members);
		sorted.sort(Comparator.<ScoredValue<?>>comparingDouble(ScoredValue::getScore)
			.thenComparing((member) -> text(member)));
		List<SessionRef> refs = new ArrayList<>();
		for (ScoredValue<?> member : sorted.subList(0, Math.min(first, sorted.size()))) {
			refs.add(RedisKeys.parseRef(text(member)).orElse(null));
		}
		return refs;
	}

	private static String text(ScoredValue<?> member) {
		return (member.getValue() instanceof byte[] value) ? new String(value, StandardCharsets.UTF_8) : "";
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
