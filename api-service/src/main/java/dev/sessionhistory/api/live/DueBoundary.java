package dev.sessionhistory.api.live;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import dev.sessionhistory.api.live.LiveInstances.Scored;
import dev.sessionhistory.model.RedisKeys;

import org.springframework.data.domain.Range;
import org.springframework.data.domain.Range.Bound;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisZSetCommands;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.stereotype.Component;

/**
 * The due index ({@code sh:due}) split at a time, in one round trip of bounded commands:
 * how many members are due by then and how many later ({@code ZCOUNT}), and the first few
 * of each side, earliest first ({@code ZRANGEBYSCORE … LIMIT}). Nothing reads the whole
 * index.
 */
@Component
public class DueBoundary {

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	DueBoundary(StringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/**
	 * The index split at {@code now}.
	 * @param first how many members of each side to return at most
	 */
	public Split split(Instant now, int first) {
		byte[] key = this.keys.due().getBytes(StandardCharsets.UTF_8);
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
		return new Split(count(replies.get(0)), count(replies.get(1)), scored(replies.get(2)),
				scored(replies.get(3)));
	}

	private static long count(Object reply) {
		return (reply instanceof Long count) ? count : 0;
	}

	private static List<Scored> scored(Object reply) {
		List<Scored> scored = new ArrayList<>();
		if (reply instanceof Collection<?> tuples) {
			for (Object tuple : tuples) {
				if (tuple instanceof TypedTuple<?> typed && typed.getValue() instanceof String member) {
					scored.add(new Scored(member, RedisKeys.parseRef(member).orElse(null),
							(typed.getScore() != null) ? typed.getScore().longValue() : 0));
				}
			}
		}
		return scored;
	}

	/**
	 * The due index at a time.
	 *
	 * @param due how many members are due by then (scored at or before it)
	 * @param later how many are due later
	 * @param dueFirst the earliest due members, earliest first
	 * @param laterFirst the earliest of those due later, earliest first
	 */
	public record Split(long due, long later, List<Scored> dueFirst, List<Scored> laterFirst) {
	}

}
