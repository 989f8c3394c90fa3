package dev.sessionhistory.model;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

import dev.sessionhistory.model.SessionScripts.Call;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceExceptionConverter;

/**
 * Reads the pages of {@code read.lua} ({@link ReadReply}) in one round trip without Lua, the
 * hot path of a live history.
 * <p>
 * A script is dear on this path: every string it returns is copied into Lua and back out,
 * and its checks run on every call. On Redis 7 a page of 100 messages of 220 bytes costs
 * about 80 µs of Redis' time as the reply of {@code read.lua}, and the script's header
 * alone (no messages) about 40 µs, against 12 µs for the {@code LRANGE} itself. So the page
 * of an instance whose keys are known is read as five plain commands pipelined on one
 * connection: {@code GET} of the live key, {@code HMGET} of the meta hash,
 * {@code LLEN}, {@code LRANGE} of the page's candidates by count, and {@code LLEN} again.
 * An instance's list only grows ({@code append.lua}) until it is deleted after its archive
 * ({@code purge.lua}), and no entry changes at its index: when both lengths agree nothing
 * was appended or purged in between, and the {@code LRANGE} read the list the header
 * describes. Otherwise (an append raced the read), when the live key names the instance but
 * its meta says it ended (an end raced the read), when the instance is not the live one while the code's
 * current instance is asked for, or when the page's indexes depend on the total (a
 * {@code before} cursor past the end), the page is read with {@code read.lua}, which is
 * atomic. Either way the page is cut by bytes by the script's rule ({@link PageCut}).
 * <p>
 * {@code LRANGE} is bounded by count only: pages whose candidates could pass twice the byte
 * cap ({@code limit × largest entry}) are left to {@code read.lua}, which stops at the cap
 * inside Redis.
 * <p>
 * Lettuce is used directly (the shared native connection of Spring Data Redis) because a
 * pipeline through {@code RedisTemplate} takes a dedicated connection. The class is long
 * because the consistency argument above and the index arithmetic that rests on it belong
 * together, next to the script they stand in for.
 */
public final class PageReads {

	private static final LettuceExceptionConverter EXCEPTIONS = new LettuceExceptionConverter();

	private static final byte[][] META_FIELDS = SessionMeta.FIELDS.stream()
		.map(PageReads::bytes)
		.toArray(byte[][]::new);

	private static final int STATUS = SessionMeta.FIELDS.indexOf(SessionMeta.STATUS);

	/** Into how many calls of {@code read.lua} a page read forward is cut at most, by its bytes. */
	private static final int READ_PARTS = 4;

	private final LettuceConnectionFactory connections;

	private final RedisKeys keys;

	private final long maxBytes;

	private final int largestPipelinedLimit;

	private final long timeoutNanos;

	private final LongAdder pipelined = new LongAdder();

	private final LongAdder scripted = new LongAdder();

	/**
	 * @param connections the connections, whose command timeout bounds every wait
	 * @param maxBytes the most bytes of messages in a page
	 * @param maxEntryBytes the largest entry the writers store
	 */
	public PageReads(LettuceConnectionFactory connections, RedisKeys keys, long maxBytes, long maxEntryBytes) {
		this.connections = connections;
		this.keys = keys;
		this.maxBytes = maxBytes;
		this.largestPipelinedLimit = (int) Math.min(Integer.MAX_VALUE, 2 * maxBytes / Math.max(maxEntryBytes, 1));
		this.timeoutNanos = connections.getClientConfiguration().getCommandTimeout().toNanos();
	}

	/** What {@code SessionScripts.read(…).run(…)} answers, mostly without Lua. */
	public ReadReply read(String code, UUID sessionId, String mode, long cursor, int limit) {
		return read(code, sessionId, false, mode, cursor, limit);
	}

	/** What {@code SessionScripts.readCurrent(…).run(…)} answers, mostly without Lua. */
	public ReadReply readCurrent(String code, UUID expected, String mode, long cursor, int limit) {
		return read(code, expected, true, mode, cursor, limit);
	}

	private ReadReply read(String code, UUID sessionId, boolean current, String mode, long cursor, int limit) {
		try (RedisConnection connection = this.connections.getConnection()) {
			RedisClusterAsyncCommands<byte[], byte[]> redis = ((LettuceConnection) connection).getNativeConnection();
			Range range = (sessionId != null && limit > 0 && limit <= this.largestPipelinedLimit)
					? Range.of(mode, cursor, limit) : null;
			if (range == null) {
				return "after".equals(mode) ? readAfterInParts(redis, code, sessionId, current, cursor, limit)
						: run(redis, call(code, sessionId, current, mode, cursor, limit, this.maxBytes));
			}
			this.pipelined.increment();
			byte[] list = bytes(this.keys.messages(code, sessionId));
			RedisFuture<byte[]> live = redis.get(bytes(this.keys.live(code)));
			RedisFuture<List<KeyValue<byte[], byte[]>>> meta = redis.hmget(bytes(this.keys.meta(code, sessionId)),
					META_FIELDS);
			RedisFuture<Long> before = redis.llen(list);
			RedisFuture<List<byte[]>> entries = range.isEmpty() ? null : redis.lrange(list, range.start(), range.end());
			RedisFuture<Long> after = redis.llen(list);
			byte[] liveId = await(live);
			List<String> values = new ArrayList<>(META_FIELDS.length);
			for (KeyValue<byte[], byte[]> value : await(meta)) {
				values.add(value.hasValue() ? new String(value.getValue(), StandardCharsets.UTF_8) : null);
			}
			long total = await(before);
			List<byte[]> candidates = (entries != null) ? await(entries) : List.of();
			boolean isLive = liveId != null && sessionId.toString().equals(new String(liveId, StandardCharsets.UTF_8));
			boolean known = !values.stream().allMatch(Objects::isNull);
			if (!known && (isLive || !current)) {
				return new ReadReply.None();
			}
			if (await(after) != total || !range.fits(total) || (current && !isLive)
					|| (isLive && !SessionMeta.ACTIVE.equals(values.get(STATUS)))) {
				return run(redis, call(code, sessionId, current, mode, cursor, limit, this.maxBytes));
			}
			return range.page(isLive, total, SessionMeta.fromValues(values), candidates, this.maxBytes);
		}
	}

	/** How many reads were sent as the pipeline of plain commands, one round trip each. */
	public long pipelinedReads() {
		return this.pipelined.sum();
	}

	/**
	 * How many reads went to {@code read.lua}, one round trip each, also after a pipelined
	 * read that could not be used: a fast path that falls back often is a finding.
	 */
	public long scriptedReads() {
		return this.scripted.sum();
	}

	private Call<ReadReply> call(String code, UUID sessionId, boolean current, String mode, long cursor, int limit,
			long maxBytes) {
		return current ? SessionScripts.readCurrent(this.keys, code, sessionId, mode, cursor, limit, maxBytes)
				: SessionScripts.read(this.keys, code, sessionId, mode, cursor, limit, maxBytes);
	}

	/**
	 * A page read forward by {@code read.lua} in calls of at most a quarter of the page's
	 * bytes each, so that no call holds Redis for long: copying a whole page of 1 MB into
	 * Lua and out again took Redis 10 to 15 ms on 2 cores. The entries are the ones one call
	 * would answer (a list of messages only grows, and each call goes on after the last
	 * seq of the one before), cut by the same rule: while the next one fits in
	 * {@link #maxBytes}, the first of the page always. Total, status and meta are those of
	 * the last call. An instance gone between two calls leaves the page shorter, with
	 * {@code hasMore}, as a page may be.
	 */
	private ReadReply readAfterInParts(RedisClusterAsyncCommands<byte[], byte[]> redis, String code, UUID sessionId,
			boolean current, long cursor, int limit) {
		long part = Math.max(1, this.maxBytes / READ_PARTS);
		ReadReply reply = run(redis, call(code, sessionId, current, "after", cursor, limit, part));
		if (!(reply instanceof ReadReply.Page first) || !first.hasMore() || first.messages().size() >= limit) {
			return reply;
		}
		List<byte[]> messages = new ArrayList<>(first.messages());
		long bytes = 0;
		for (byte[] message : messages) {
			bytes += message.length;
		}
		ReadReply.Page last = first;
		boolean full = false;
		while (!full && last.hasMore() && messages.size() < limit && bytes < this.maxBytes) {
			long lastSeq = first.firstSeq() + messages.size() - 1;
			ReadReply next = run(redis, call(code, first.meta().sessionId(), false, "after", lastSeq,
					limit - messages.size(), Math.min(part, this.maxBytes - bytes)));
			if (!(next instanceof ReadReply.Page page) || page.messages().isEmpty()) {
				break;
			}
			for (byte[] message : page.messages()) {
				// the script takes its first entry whatever its size; the page may not pass the bound
				if (bytes + message.length > this.maxBytes) {
					full = true;
					break;
				}
				messages.add(message);
				bytes += message.length;
			}
			last = page;
		}
		boolean hasMore = first.firstSeq() + messages.size() - 1 < last.total();
		return new ReadReply.Page(last.live(), last.total(), hasMore, first.firstSeq(), last.meta(), messages);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** {@code EVALSHA}, or {@code EVAL} when Redis does not have the script yet. */
	private ReadReply run(RedisClusterAsyncCommands<byte[], byte[]> redis, Call<ReadReply> call) {
		this.scripted.increment();
		try {
			return call.parse(await(redis.evalsha(call.script().getSha1(), ScriptOutputType.MULTI, call.keyBytes(),
					call.argBytes())));
		}
		catch (RedisNoScriptException ex) {
			return call.parse(await(redis.eval(call.script().getScriptAsString(), ScriptOutputType.MULTI,
					call.keyBytes(), call.argBytes())));
		}
	}

	/**
	 * The reply, or the failure as Spring Data Redis reports it ({@link DataAccessException});
	 * a missing script is thrown as it is, for the caller to send the script.
	 */
	private <T> T await(RedisFuture<T> future) {
		try {
			return future.get(this.timeoutNanos, TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof RedisNoScriptException noScript) {
				throw noScript;
			}
			DataAccessException translated = (cause instanceof Exception exception) ? EXCEPTIONS.convert(exception)
					: null;
			throw (translated != null) ? translated : new RedisSystemException("Redis read failed", cause);
		}
		catch (TimeoutException ex) {
			future.cancel(false);
			throw new QueryTimeoutException("Redis did not answer within " + Duration.ofNanos(this.timeoutNanos), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisSystemException("Interrupted while reading from Redis", ex);
		}
	}

	/**
	 * The 0-based indexes of a page's candidates by count, as {@code read.lua} computes them
	 * from the total, computed without it: from the end for {@code latest}, from the cursor
	 * otherwise.
	 *
	 * @param mode 'latest', 'after' or 'before'
	 * @param start the first index, negative from the end
	 * @param end the last index (inclusive), negative from the end
	 * @param cursor the seq of 'after'/'before'
	 */
	private record Range(String mode, long start, long end, long cursor) {

		static Range of(String mode, long cursor, int limit) {
			return switch (mode) {
				case "after" -> new Range(mode, cursor, cursor + limit - 1, cursor);
				case "before" -> new Range(mode, Math.max(cursor - 1 - limit, 0), cursor - 2, cursor);
				default -> new Range("latest", -limit, -1, 0);
			};
		}

		boolean isEmpty() {
			return "before".equals(this.mode) && this.cursor <= 1;
		}

		/** Whether these indexes are the script's for an instance of {@code total} messages. */
		boolean fits(long total) {
			return !"before".equals(this.mode) || this.cursor - 1 <= total;
		}

		ReadReply.Page page(boolean live, long total, SessionMeta meta, List<byte[]> candidates, long maxBytes) {
			int[] sizes = new int[candidates.size()];
			for (int i = 0; i < sizes.length; i++) {
				sizes[i] = candidates.get(i).length;
			}
			PageCut cut = PageCut.of(this.mode, sizes, maxBytes);
			long first = switch (this.mode) {
				case "after" -> this.cursor + 1;
				case "before" -> this.start + 1;
				default -> total - candidates.size() + 1;
			};
			boolean hasMore = switch (this.mode) {
				case "after" -> this.cursor + candidates.size() < total;
				case "before" -> this.start > 0;
				default -> total > candidates.size();
			};
			List<byte[]> messages = candidates;
			if (cut.cut()) {
				boolean forward = "after".equals(this.mode);
				messages = forward ? candidates.subList(0, cut.kept())
						: candidates.subList(candidates.size() - cut.kept(), candidates.size());
				first += forward ? 0 : candidates.size() - cut.kept();
				hasMore = true;
			}
			return new ReadReply.Page(live, total, hasMore, messages.isEmpty() ? 0 : first, meta, messages);
		}

	}

}
