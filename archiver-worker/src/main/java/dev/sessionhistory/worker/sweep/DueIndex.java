package dev.sessionhistory.worker.sweep;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.Pipeline;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads of the {@code due} index and the pending sets, for the sweep and the reconcile.
 * Every reply is bounded: ranges have a limit, the keyspace and the pending sets are
 * read with {@code SCAN}/{@code SSCAN} a page at a time.
 */
@Component
class DueIndex {

	/** Where a {@code SCAN} or {@code SSCAN} cursor begins, and where Redis says it ended. */
	static final String CURSOR_START = "0";

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

	/** How many keys the database holds, all patterns together: what a SCAN pass walks. */
	long keyCount() {
		return single(this.redis, (commands) -> commands.dbsize(), Long.class);
	}

	/**
	 * One {@code SCAN} call over the whole keyspace for pending sets of this prefix.
	 * @param cursor where the previous call stopped, {@link #CURSOR_START} to begin a pass
	 * @param count the {@code COUNT} hint: about how many keys Redis looks at
	 */
	PendingKeys scanPendingKeys(String cursor, int count) {
		ScanArgs args = ScanArgs.Builder.matches(this.keys.pendingPattern()).limit(count);
		KeyScanCursor<?> page = single(this.redis, (commands) -> commands.scan(ScanCursor.of(cursor), args),
				KeyScanCursor.class);
		List<String> codes = new ArrayList<>();
		for (Object key : page.getKeys()) {
			this.keys.codeOfPendingKey(text(key)).ifPresent(codes::add);
		}
		return new PendingKeys(page.isFinished() ? CURSOR_START : page.getCursor(), codes,
				page.isFinished());
	}

	/**
	 * One {@code SSCAN} call per pending set, in one round trip, so that a huge set is read
	 * a page at a time instead of in one unbounded {@code SMEMBERS} reply.
	 * @param count the {@code COUNT} hint of each call
	 * @return one page per set, in order
	 */
	List<MembersPage> scanMembers(List<PendingSet> sets, int count) {
		ScanArgs args = ScanArgs.Builder.limit(count);
		List<Object> replies = Pipeline.run(this.redis, (commands, futures) -> sets
			.forEach((set) -> futures.add(commands.sscan(Pipeline.bytes(this.keys.pending(set.code())),
					ScanCursor.of(set.cursor()), args))));
		List<MembersPage> pages = new ArrayList<>(sets.size());
		for (int i = 0; i < sets.size(); i++) {
			PendingSet set = sets.get(i);
			if (replies.get(i) instanceof ValueScanCursor<?> page) {
				Set<String> members = new LinkedHashSet<>();
				for (Object id : page.getValues()) {
					// Foreign writers may add anything; only CODE SID members are instances.
					RedisKeys.parseRef(set.code() + " " + text(id))
						.ifPresent((ref) -> members.add(ref.member()));
				}
				pages.add(new MembersPage(set, page.isFinished() ? null : new PendingSet(set.code(), page.getCursor()),
						members, false));
			}
			else if (replies.get(i) instanceof RedisCommandExecutionException ex && isWrongType(ex)) {
				pages.add(new MembersPage(set, null, Set.of(), true));
			}
			else {
				throw new RedisSystemException("SSCAN of " + this.keys.pending(set.code()) + " failed: "
						+ replies.get(i), (replies.get(i) instanceof Throwable cause) ? cause : null);
			}
		}
		return pages;
	}

	/**
	 * Adds the members missing from the due index, due at {@code now}; the claim then
	 * tells live from ended.
	 * @return how many were missing
	 */
	long addMissing(Collection<String> members, long now) {
		if (members.isEmpty()) {
			return 0;
		}
		byte[] due = Pipeline.bytes(this.keys.due());
		List<Object> added = Pipeline.run(this.redis, (commands, futures) -> members
			.forEach((member) -> futures.add(commands.zadd(due, ZAddArgs.Builder.nx(), now, Pipeline.bytes(member)))));
		for (Object reply : added) {
			if (reply instanceof RedisCommandExecutionException ex) {
				throw new RedisSystemException("ZADD to " + this.keys.due() + " failed: " + ex.getMessage(), ex);
			}
		}
		return added.stream().filter((count) -> Long.valueOf(1).equals(count)).count();
	}

	/** Scan cursors are not decoded by the pipeline: their keys and values are still bytes. */
	private static String text(Object raw) {
		return (raw instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(raw);
	}

	private static boolean isWrongType(RedisCommandExecutionException ex) {
		return ex.getMessage() != null && ex.getMessage().startsWith("WRONGTYPE");
	}

	/** Sends one command; an error Redis answers fails the call. */
	private static <T> T single(StringRedisTemplate redis,
			Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<?>> command, Class<T> type) {
		Object reply = Pipeline.run(redis, (commands, futures) -> futures.add(command.apply(commands))).get(0);
		if (reply instanceof RedisCommandExecutionException ex) {
			throw new RedisSystemException("Redis refused the command: " + ex.getMessage(), ex);
		}
		return type.cast(reply);
	}

	/**
	 * @param cursor where the next call starts
	 * @param codes the codes of the pending sets found
	 * @param last whether this was the last call of the pass
	 */
	record PendingKeys(String cursor, List<String> codes, boolean last) {
	}

	/**
	 * A pending set and where the next {@code SSCAN} of it starts.
	 */
	record PendingSet(String code, String cursor) {

		static PendingSet start(String code) {
			return new PendingSet(code, CURSOR_START);
		}

	}

	/**
	 * @param set the set read
	 * @param rest where to go on reading it, {@code null} when it is done
	 * @param members the instances found, as due index members
	 * @param wrongType whether the key holds something else than a set (a foreign
	 * program's key under the pending pattern)
	 */
	record MembersPage(PendingSet set, PendingSet rest, Set<String> members, boolean wrongType) {
	}

}
