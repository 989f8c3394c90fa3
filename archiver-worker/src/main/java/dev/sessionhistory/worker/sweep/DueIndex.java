package dev.sessionhistory.worker.sweep;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.worker.archive.Pipeline;
import io.lettuce.core.ZAddArgs;

import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads of the {@code due} index and the pending sets, for the sweep.
 */
@Component
class DueIndex {

	private static final int SCAN_COUNT = 1000;

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	DueIndex(StringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/** The first {@code limit} members due at {@code now}, earliest first. */
	Set<String> due(long now, int limit) {
		Set<String> members = this.redis.opsForZSet()
			.rangeByScore(this.keys.due(), Double.NEGATIVE_INFINITY, now, 0, limit);
		return (members != null) ? members : Set.of();
	}

	/** How many members are due at {@code now}. */
	long countDue(long now) {
		Long count = this.redis.opsForZSet().count(this.keys.due(), Double.NEGATIVE_INFINITY, now);
		return (count != null) ? count : 0;
	}

	void remove(String member) {
		this.redis.opsForZSet().remove(this.keys.due(), member);
	}

	/**
	 * Adds every instance of a pending set that is missing from the due index, due at
	 * {@code now}; the claim then tells live from ended.
	 * @return how many were missing
	 */
	long reconcile(long now) {
		long added = 0;
		List<String> codes = new ArrayList<>();
		ScanOptions options = ScanOptions.scanOptions().match(this.keys.pendingPattern()).count(SCAN_COUNT).build();
		try (Cursor<String> cursor = this.redis.scan(options)) {
			while (cursor.hasNext()) {
				this.keys.codeOfPendingKey(cursor.next()).ifPresent(codes::add);
				if (codes.size() == SCAN_COUNT || !cursor.hasNext()) {
					added += addMissing(codes, now);
					codes.clear();
				}
			}
		}
		return added;
	}

	private long addMissing(List<String> codes, long now) {
		if (codes.isEmpty()) {
			return 0;
		}
		List<Object> members = Pipeline.run(this.redis, (commands, futures) -> codes
			.forEach((code) -> futures.add(commands.smembers(Pipeline.bytes(this.keys.pending(code))))));
		Set<String> refs = new LinkedHashSet<>();
		for (int i = 0; i < codes.size(); i++) {
			if (members.get(i) instanceof List<?> ids) {
				for (Object id : ids) {
					RedisKeys.parseRef(codes.get(i) + " " + id).ifPresent((ref) -> refs.add(ref.member()));
				}
			}
		}
		byte[] due = Pipeline.bytes(this.keys.due());
		List<Object> added = Pipeline.run(this.redis, (commands, futures) -> refs
			.forEach((member) -> futures.add(commands.zadd(due, ZAddArgs.Builder.nx(), now, Pipeline.bytes(member)))));
		return added.stream().filter((count) -> Long.valueOf(1).equals(count)).count();
	}

}
