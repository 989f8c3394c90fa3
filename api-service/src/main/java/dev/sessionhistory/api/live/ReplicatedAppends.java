package dev.sessionhistory.api.live;

import java.time.Duration;

import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.model.AppendReply;
import dev.sessionhistory.model.Pipeline;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.SessionScripts.Call;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.support.ConnectionPoolSupport;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Appends that are acknowledged only once {@code history.append.replicas} replicas of their
 * master have them: Redis replicates asynchronously, so a master that dies loses what it
 * acknowledged and had not sent yet, unless the client waited with {@code WAIT}. {@code WAIT}
 * blocks its connection and counts that connection's own writes, so the script and the
 * {@code WAIT} run on a connection of their own, borrowed from a pool (commons-pool2, through
 * Lettuce's {@link ConnectionPoolSupport}), never on the shared one; on a cluster, on the node
 * connection of the master of the session's slot. A retry that finds its original first
 * writes the code's replication mark ({@link RedisKeys#replicationMark}), so that its
 * {@code WAIT} covers the original too. A message not on enough replicas within the timeout is
 * stored but not acknowledged: a 503, and a retry with the same id waits again.
 */
@Component
public class ReplicatedAppends implements DisposableBean {

	private static final byte[] EMPTY = new byte[0];

	private final LettuceConnectionFactory factory;

	private final RedisKeys keys;

	private final HistoryProperties.Append settings;

	private volatile GenericObjectPool<StatefulConnection<byte[], byte[]>> pool;

	ReplicatedAppends(LettuceConnectionFactory factory, RedisKeys keys, HistoryProperties properties) {
		this.factory = factory;
		this.keys = keys;
		this.settings = properties.append();
	}

	/** Whether appends wait for replicas. */
	public boolean enabled() {
		return this.settings.replicas() > 0;
	}

	/**
	 * Runs an append and, when it stored the message or found its original, waits until
	 * enough replicas have it.
	 * @throws NotReplicatedException when they do not within the timeout
	 */
	public AppendReply run(String code, Call<AppendReply> call) {
		StatefulConnection<byte[], byte[]> connection = borrow();
		try {
			RedisCommands<byte[], byte[]> commands = commandsFor(connection, call.keyBytes()[0]);
			AppendReply reply = call.parse(eval(commands, call));
			if (reply.outcome() == AppendReply.Outcome.DUPLICATE) {
				// A write of this connection after the original's: WAIT counts from it.
				commands.set(Pipeline.bytes(this.keys.replicationMark(code)), EMPTY, SetArgs.Builder.px(1));
			}
			if (reply.outcome() == AppendReply.Outcome.CREATED || reply.outcome() == AppendReply.Outcome.DUPLICATE) {
				long acknowledged = commands.waitForReplication(this.settings.replicas(),
						this.settings.replicaTimeout().toMillis());
				if (acknowledged < this.settings.replicas()) {
					throw new NotReplicatedException(code, acknowledged, this.settings);
				}
			}
			return reply;
		}
		catch (RedisException ex) {
			throw new RedisSystemException("Redis failed an append that waits for replicas: " + ex.getMessage(), ex);
		}
		finally {
			this.pool.returnObject(connection);
		}
	}

	private static Object eval(RedisCommands<byte[], byte[]> commands, Call<AppendReply> call) {
		try {
			return commands.evalsha(call.script().getSha1(), ScriptOutputType.MULTI, call.keyBytes(), call.argBytes());
		}
		catch (RedisNoScriptException ex) {
			return commands.eval(call.script().getScriptAsString(), ScriptOutputType.MULTI, call.keyBytes(),
					call.argBytes());
		}
	}

	/**
	 * The commands of the master that holds {@code key}: on a cluster, the node connection of
	 * the master of its slot as the client knows it (a stale view answers {@code MOVED}, a
	 * 503; the client's topology refresh follows it).
	 */
	private static RedisCommands<byte[], byte[]> commandsFor(StatefulConnection<byte[], byte[]> connection, byte[] key) {
		if (connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
			RedisClusterNode master = cluster.getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
			if (master == null) {
				throw new RedisException("No master serves slot " + SlotHash.getSlot(key) + " now");
			}
			return cluster.getConnection(master.getNodeId()).sync();
		}
		return ((StatefulRedisConnection<byte[], byte[]>) connection).sync();
	}

	private StatefulConnection<byte[], byte[]> borrow() {
		try {
			return pool().borrowObject();
		}
		catch (RedisException ex) {
			throw new RedisSystemException("Could not connect for an append that waits for replicas", ex);
		}
		catch (Exception ex) {
			throw new RedisSystemException("No connection for an append that waits for replicas: " + ex.getMessage(),
					ex);
		}
	}

	/** Made when first needed, so that the API starts with Redis down. */
	private GenericObjectPool<StatefulConnection<byte[], byte[]>> pool() {
		GenericObjectPool<StatefulConnection<byte[], byte[]>> existing = this.pool;
		if (existing != null) {
			return existing;
		}
		synchronized (this) {
			if (this.pool == null) {
				AbstractRedisClient client = this.factory.getNativeClient();
				GenericObjectPoolConfig<StatefulConnection<byte[], byte[]>> config = new GenericObjectPoolConfig<>();
				config.setMaxTotal(this.settings.connections());
				config.setMaxIdle(this.settings.connections());
				// Waiting for a connection counts against the request like a slow Redis would.
				config.setMaxWait(Duration.ofSeconds(2));
				config.setJmxEnabled(false);
				this.pool = ConnectionPoolSupport.createGenericObjectPool(() -> connect(client), config);
			}
			return this.pool;
		}
	}

	private static StatefulConnection<byte[], byte[]> connect(AbstractRedisClient client) {
		if (client instanceof RedisClusterClient cluster) {
			return cluster.connect(ByteArrayCodec.INSTANCE);
		}
		if (client instanceof RedisClient standalone) {
			return standalone.connect(ByteArrayCodec.INSTANCE);
		}
		throw new IllegalStateException("Redis connection factory is not started");
	}

	@Override
	public void destroy() {
		if (this.pool != null) {
			this.pool.close();
		}
	}

	/** Stored, but not yet on enough replicas: a 503, to be retried with the same id. */
	public static class NotReplicatedException extends ErrorResponseException {

		NotReplicatedException(String code, long acknowledged, HistoryProperties.Append settings) {
			super(HttpStatus.SERVICE_UNAVAILABLE, ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
					"The message to session '" + code + "' is stored but on " + acknowledged + " of the "
							+ settings.replicas() + " replicas it must be on (history.append.replicas) after "
							+ settings.replicaTimeout().toMillis() + " ms; retry with the same id"),
					null);
			getHeaders().set("Retry-After", "1");
		}

	}

}
