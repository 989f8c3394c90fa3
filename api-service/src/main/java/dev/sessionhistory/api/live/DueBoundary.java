package dev.sessionhistory.api.live;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionMeta;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Range;
import org.springframework.data.domain.Range.Bound;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisZSetCommands;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.stereotype.Component;

/**
 * The due index ({@code sh:due}) split at a time, in two round trips of bounded commands:
 * how many members are due by then and how many later ({@code ZCOUNT}), and what the first
 * few of each side are now ({@code ZRANGEBYSCORE … LIMIT}, then per member the meta's
 * status and end and its code's live key). Nothing reads the whole index.
 */
@Component
public class DueBoundary {

	private static final byte[][] FIELDS = { bytes(SessionMeta.STATUS), bytes(SessionMeta.ENDED_AT),
			bytes(SessionMeta.EXPIRES_AT) };

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
		byte[] key = bytes(this.keys.due());
		double at = now.toEpochMilli();
		Range<Double> due = Range.of(Bound.unbounded(), Bound.inclusive(at));
		Range<Double> later = Range.of(Bound.exclusive(at), Bound.unbounded());
		Limit limit = Limit.limit().count(first);
		List<Object> replies = this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
			RedisZSetCommands zSet = connection.zSetCommands();
			zSet.zCount(key, due);
			zSet.zCount(key, later);
			zSet.zRangeByScoreWithScores(key, due, limit);
			zSet.zRangeByScoreWithScores(key, later, limit);
			return null;
		});
		List<SessionRef> dueFirst = refs(replies.get(2));
		List<SessionRef> laterFirst = refs(replies.get(3));
		List<Member> members = members(dueFirst, laterFirst);
		return new Split(count(replies.get(0)), count(replies.get(1)), members.subList(0, dueFirst.size()),
				members.subList(dueFirst.size(), members.size()));
	}

	/** What each instance is now, in one round trip: {@code null} refs (members that name none) are gone. */
	private List<Member> members(List<SessionRef> dueFirst, List<SessionRef> laterFirst) {
		List<SessionRef> refs = new ArrayList<>(dueFirst);
		refs.addAll(laterFirst);
		List<Object> replies = this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
			for (SessionRef ref : refs) {
				if (ref != null) {
					connection.hashCommands().hMGet(bytes(this.keys.meta(ref.code(), ref.sessionId())), FIELDS);
					connection.stringCommands().get(bytes(this.keys.live(ref.code())));
				}
			}
			return null;
		});
		List<Member> members = new ArrayList<>(refs.size());
		int at = 0;
		for (SessionRef ref : refs) {
			if (ref == null) {
				members.add(Member.GONE);
				continue;
			}
			members.add(member(ref, (replies.get(at) instanceof List<?> meta) ? meta : List.of(), replies.get(at + 1)));
			at += 2;
		}
		return members;
	}

	/**
	 * One instance judged as {@link LiveInstances#check} does: live while its code's live
	 * key names it and its meta says active; gone without a meta, or with one that lacks
	 * its status or expiry (a foreign writer's broken one).
	 */
	private static Member member(SessionRef ref, List<?> meta, @Nullable Object live) {
		if (meta.size() != FIELDS.length || !(meta.get(0) instanceof String status)
				|| !(meta.get(2) instanceof String expiresAt)) {
			return Member.GONE;
		}
		if (SessionMeta.ACTIVE.equals(status) && ref.sessionId().toString().equals(live)) {
			return Member.LIVE;
		}
		try {
			String endedAt = (meta.get(1) instanceof String stored && !stored.isEmpty()) ? stored : expiresAt;
			return new Member(Member.State.ENDED, Instant.ofEpochMilli(Long.parseLong(endedAt)));
		}
		catch (NumberFormatException ex) {
			return Member.GONE;
		}
	}

	private static List<SessionRef> refs(Object reply) {
		List<SessionRef> refs = new ArrayList<>();
		if (reply instanceof Collection<?> tuples) {
			for (Object tuple : tuples) {
				if (tuple instanceof TypedTuple<?> typed && typed.getValue() instanceof String member) {
					refs.add(RedisKeys.parseRef(member).orElse(null));
				}
			}
		}
		return refs;
	}

	private static long count(Object reply) {
		return (reply instanceof Long count) ? count : 0;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
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
