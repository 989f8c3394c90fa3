package dev.sessionhistory.worker.sweep;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.sessionhistory.model.Pipeline;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.worker.redis.RedisNodes;
import dev.sessionhistory.worker.redis.RedisNodes.Node;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.Range.Boundary;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.stereotype.Component;

/**
 * Reads and writes of the due index, its buckets ({@link RedisKeys#dueBucket}) and the
 * single index of layout 3 ({@link RedisKeys#legacyDue()}), and the keyspace scan of the
 * reconcile. Every reply is bounded: ranges have a limit, the keyspace and the pending sets
 * are read with {@code SCAN}/{@code SSCAN} a page at a time, each node of a cluster on its
 * own ({@link RedisNodes}).
 */
@Component
class DueIndex {

	/** Where a {@code SCAN} or {@code SSCAN} cursor begins, and where Redis says it ended. */
	static final String CURSOR_START = "0";

	private static final Log logger = LogFactory.getLog(DueIndex.class);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final RedisNodes nodes;

	DueIndex(StringRedisTemplate redis, RedisKeys keys, RedisNodes nodes) {
		this.redis = redis;
		this.keys = keys;
		this.nodes = nodes;
	}

	int buckets() {
		return this.keys.dueBuckets();
	}

	/**
	 * The first {@code limit} members of every bucket due at {@code now}, earliest first, in
	 * one round trip.
	 * @return one set per bucket, by bucket number
	 */
	List<Set<String>> dueInEvery(long now, int limit) {
		Range<Double> due = Range.from(Boundary.unbounded(), Boundary.including((double) now));
		Limit first = Limit.create(0, limit);
		List<Object> replies = Pipeline.run(this.redis, (commands, futures) -> {
			for (int bucket = 0; bucket < buckets(); bucket++) {
				futures.add(commands.zrangebyscore(Pipeline.bytes(this.keys.dueBucket(bucket)), due, first));
			}
		});
		List<Set<String>> members = new ArrayList<>(replies.size());
		for (int bucket = 0; bucket < replies.size(); bucket++) {
			members.add(members(replies.get(bucket), this.keys.dueBucket(bucket)));
		}
		return members;
	}

	/** The first {@code limit} members of one bucket due at {@code now}, earliest first. */
	Set<String> due(int bucket, long now, int limit) {
		Set<String> members = this.redis.opsForZSet()
			.rangeByScore(this.keys.dueBucket(bucket), Double.NEGATIVE_INFINITY, now, 0, limit);
		return (members != null) ? members : Set.of();
	}

	/** How many members of all buckets are due at {@code now}. */
	long countDue(long now) {
		Range<Double> due = Range.from(Boundary.unbounded(), Boundary.including((double) now));
		List<Object> replies = Pipeline.run(this.redis, (commands, futures) -> {
			for (int bucket = 0; bucket < buckets(); bucket++) {
				futures.add(commands.zcount(Pipeline.bytes(this.keys.dueBucket(bucket)), due));
			}
		});
		return replies.stream().mapToLong((reply) -> (reply instanceof Long count) ? count : 0).sum();
	}

	void remove(int bucket, String member) {
		this.redis.opsForZSet().remove(this.keys.dueBucket(bucket), member);
	}

	/**
	 * Moves up to {@code limit} members of the due index of layout 3 into their buckets,
	 * keeping the earlier score where a bucket has the member already ({@code ZADD LT}), then
	 * removes them there; members without a valid code are dropped. A failure between the
	 * two leaves them in both, which the next call repeats harmlessly.
	 * @return how many it moved
	 */
	int moveLegacy(int limit) {
		String legacy = this.keys.legacyDue();
		Set<TypedTuple<String>> found = this.redis.opsForZSet().rangeWithScores(legacy, 0, limit - 1);
		if (found == null || found.isEmpty()) {
			return 0;
		}
		List<TypedTuple<String>> moved = new ArrayList<>();
		List<String> dropped = new ArrayList<>();
		for (TypedTuple<String> member : found) {
			String value = member.getValue();
			int space = (value != null) ? value.indexOf(' ') : -1;
			if (space > 0 && RedisKeys.isValidCode(value.substring(0, space)) && member.getScore() != null) {
				moved.add(member);
			}
			else {
				dropped.add(value);
			}
		}
		List<Object> added = Pipeline.run(this.redis, (commands, futures) -> moved
			.forEach((member) -> futures.add(commands.zadd(Pipeline.bytes(this.keys.due(code(member.getValue()))),
					ZAddArgs.Builder.lt(), member.getScore(), Pipeline.bytes(member.getValue())))));
		failOnError(added, "ZADD to a due bucket");
		if (!dropped.isEmpty()) {
			logger.warn("Dropping " + dropped.size() + " malformed members such as '" + dropped.get(0) + "' of "
					+ legacy);
		}
		this.redis.opsForZSet().remove(legacy, found.stream().map(TypedTuple::getValue).toArray());
		return moved.size();
	}

	/** The masters whose keys a reconcile pass walks, one after the other. */
	List<Node> masters() {
		return this.nodes.masters();
	}

	/** Whether {@code node} is still a master, i.e. its scan can go on. */
	boolean isMaster(Node node) {
		return this.nodes.masters().contains(node);
	}

	/** How many keys the masters hold, all patterns together: what a SCAN pass walks. */
	long keyCount() {
		long count = 0;
		for (Node master : this.nodes.masters()) {
			count += this.nodes.run(master, RedisClusterAsyncCommands::dbsize);
		}
		return count;
	}

	/**
	 * One {@code SCAN} call over the keys of one node for pending sets of this prefix.
	 * @param cursor where the previous call on this node stopped, {@link #CURSOR_START} to
	 * begin its pass
	 * @param count the {@code COUNT} hint: about how many keys Redis looks at
	 */
	PendingKeys scanPendingKeys(Node node, String cursor, int count) {
		ScanArgs args = ScanArgs.Builder.matches(this.keys.pendingPattern()).limit(count);
		KeyScanCursor<byte[]> page = this.nodes.run(node, (commands) -> commands.scan(ScanCursor.of(cursor), args));
		List<String> codes = new ArrayList<>();
		for (byte[] key : page.getKeys()) {
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
		List<Object> added = Pipeline.run(this.redis, (commands, futures) -> members
			.forEach((member) -> futures.add(commands.zadd(Pipeline.bytes(this.keys.due(code(member))),
					ZAddArgs.Builder.nx(), now, Pipeline.bytes(member)))));
		failOnError(added, "ZADD to a due bucket");
		return added.stream().filter((count) -> Long.valueOf(1).equals(count)).count();
	}

	/** The code of a {@code CODE SID} member. */
	private static String code(String member) {
		return member.substring(0, member.indexOf(' '));
	}

	/** A range reply as a set, in order; an error Redis answered fails the call. */
	private static Set<String> members(Object reply, String key) {
		if (reply instanceof RedisCommandExecutionException ex) {
			throw new RedisSystemException("Redis refused a read of " + key + ": " + ex.getMessage(), ex);
		}
		Set<String> members = new LinkedHashSet<>();
		((List<?>) reply).forEach((member) -> members.add(String.valueOf(member)));
		return members;
	}

	private static void failOnError(List<Object> replies, String what) {
		for (Object reply : replies) {
			if (reply instanceof RedisCommandExecutionException ex) {
				throw new RedisSystemException(what + " failed: " + ex.getMessage(), ex);
			}
		}
	}

	/** Scan cursors are not decoded by the pipeline: their keys and values are still bytes. */
	private static String text(Object raw) {
		return (raw instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(raw);
	}

	private static boolean isWrongType(RedisCommandExecutionException ex) {
		return ex.getMessage() != null && ex.getMessage().startsWith("WRONGTYPE");
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
