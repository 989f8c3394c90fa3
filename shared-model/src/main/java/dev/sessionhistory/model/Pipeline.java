package dev.sessionhistory.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Runs many commands in one round trip on the shared connection: sent without waiting,
 * then awaited together (Lettuce's async API; no dedicated connection per batch). A
 * command Redis answers with an error (a foreign writer's key of the wrong type, for
 * example) yields that exception in the results instead of failing the others; a
 * connection failure fails the whole run. Both services use it: a pipeline through
 * {@code RedisTemplate} would take a dedicated connection, a new one per call without a pool.
 */
public final class Pipeline {

	private static final long TIMEOUT_SECONDS = 10;

	private Pipeline() {
	}

	/**
	 * @param commands sends the commands, adding each one's future to the list
	 * @return one result per future, in order: strings for bulk replies, lists for
	 * multi-bulk replies and sets, longs, {@code null}, or the error Redis answered
	 */
	public static List<Object> run(StringRedisTemplate redis,
			BiConsumer<RedisClusterAsyncCommands<byte[], byte[]>, List<RedisFuture<?>>> commands) {
		List<Object> results = runUndecoded(redis, commands);
		results.replaceAll(Pipeline::decode);
		return results;
	}

	/**
	 * Like {@link #run}, with bulk replies left as the bytes Redis sent, for data that must
	 * be judged as stored (message entries).
	 */
	@SuppressWarnings("unchecked")
	public static List<Object> runUndecoded(StringRedisTemplate redis,
			BiConsumer<RedisClusterAsyncCommands<byte[], byte[]>, List<RedisFuture<?>>> commands) {
		List<RedisFuture<?>> futures = new ArrayList<>();
		redis.execute((RedisCallback<Void>) (connection) -> {
			commands.accept((RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection(), futures);
			return null;
		});
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
		List<Object> results = new ArrayList<>(futures.size());
		for (RedisFuture<?> future : futures) {
			try {
				results.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof RedisCommandExecutionException error)) {
					throw new RedisSystemException("Redis command failed: " + ex.getCause(), ex.getCause());
				}
				results.add(error);
			}
			catch (TimeoutException ex) {
				throw new QueryTimeoutException("Redis did not answer within " + TIMEOUT_SECONDS + " s", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new RedisSystemException("Interrupted while waiting for Redis", ex);
			}
		}
		return results;
	}

	/**
	 * Sends {@code SCRIPT LOAD} of a script ahead of the {@code EVALSHA} calls of the same
	 * run, without awaiting it: Redis runs it before the calls that follow on each connection.
	 * On Redis Cluster Lettuce sends it to every node it knows, also to a failed master that
	 * is still listed; its failure there must not fail the run (an {@code EVALSHA} routed
	 * there would fail anyway, and none is routed there once the topology has moved on).
	 */
	public static void loadScript(RedisClusterAsyncCommands<byte[], byte[]> commands, String script) {
		commands.scriptLoad(script).exceptionally((ex) -> null);
	}

	/** The message of the innermost cause, for logs. */
	public static String rootMessage(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return String.valueOf(cause.getMessage());
	}

	public static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static Object decode(Object value) {
		if (value instanceof byte[] raw) {
			return new String(raw, StandardCharsets.UTF_8);
		}
		if (value instanceof Collection<?> values) {
			List<Object> decoded = new ArrayList<>(values.size());
			values.forEach((element) -> decoded.add(decode(element)));
			return decoded;
		}
		return value;
	}

}
