package dev.sessionhistory.api.ratelimit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.bucket4j.redis.lettuce.RedisApi;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Bucket4j's access to Redis ({@link #api()}): its three commands on a connection of their own, opened from
 * Spring Boot's Lettuce client (so with the same server, timeouts and the options that fail
 * commands at once while Redis is unreachable). Its own connection because a background
 * synchronisation sends one command per active bucket at once, which must not queue in
 * front of the hot path's commands on the shared connection. Opened when first needed and
 * again after a failed attempt, so the API starts and serves archives with Redis down;
 * once open, Lettuce reconnects it by itself.
 */
final class RateLimitRedis implements DisposableBean {

	private final LettuceConnectionFactory connectionFactory;

	private volatile StatefulConnection<byte[], byte[]> connection;

	private volatile RedisClusterAsyncCommands<byte[], byte[]> commands;

	RateLimitRedis(LettuceConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	/** Bucket4j's view of the connection. */
	RedisApi<byte[]> api() {
		return new Commands<>(this::commands);
	}

	/** Whether Redis answers a {@code PING} within {@code timeout}. */
	boolean ping(Duration timeout) {
		try {
			return "PONG".equals(commands().ping().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (Exception ex) {
			return false;
		}
	}

	private RedisClusterAsyncCommands<byte[], byte[]> commands() {
		RedisClusterAsyncCommands<byte[], byte[]> open = this.commands;
		return (open != null) ? open : connect();
	}

	private synchronized RedisClusterAsyncCommands<byte[], byte[]> connect() {
		if (this.commands == null) {
			AbstractRedisClient client = this.connectionFactory.getNativeClient();
			if (client instanceof RedisClusterClient cluster) {
				StatefulRedisClusterConnection<byte[], byte[]> opened = cluster.connect(ByteArrayCodec.INSTANCE);
				this.connection = opened;
				this.commands = opened.async();
			}
			else if (client instanceof RedisClient standalone) {
				StatefulRedisConnection<byte[], byte[]> opened = standalone.connect(ByteArrayCodec.INSTANCE);
				this.connection = opened;
				this.commands = opened.async();
			}
			else {
				throw new IllegalStateException("Redis connection factory is not started");
			}
		}
		return this.commands;
	}

	@Override
	public synchronized void destroy() {
		if (this.connection != null) {
			this.connection.close();
		}
	}

	/**
	 * Generic in the key type as Bucket4j's own adapters are: it hands the keys over as an
	 * {@code Object[]}, which a {@code byte[][]} parameter would fail to take.
	 */
	private record Commands<K>(Supplier<RedisClusterAsyncCommands<K, byte[]>> commands) implements RedisApi<K> {

		@Override
		public <V> RedisFuture<V> eval(String script, ScriptOutputType scriptOutputType, K[] keys, byte[][] params) {
			return this.commands.get().eval(script, scriptOutputType, keys, params);
		}

		@Override
		public RedisFuture<byte[]> get(K key) {
			return this.commands.get().get(key);
		}

		@Override
		public RedisFuture<?> delete(K key) {
			return this.commands.get().del(key);
		}

	}

}
