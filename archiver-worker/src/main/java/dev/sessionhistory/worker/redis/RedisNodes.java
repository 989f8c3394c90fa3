package dev.sessionhistory.worker.redis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The Redis servers behind the worker's connection, for what a single command cannot do on
 * Redis Cluster: a {@code SCAN} or {@code DBSIZE} sees one node's keys, a {@code CONFIG SET}
 * changes one node, keyspace events come from each node alone. Against one Redis it is that
 * one server; on a cluster, the nodes of the client's topology (refreshed by Lettuce on
 * {@code MOVED}/{@code ASK}, reconnects and periodically, {@code spring.data.redis.lettuce.
 * cluster.refresh.*}), read anew at every call so a failover or a new node is seen as soon
 * as the client knows it. Commands go over the shared connection's node connections, each
 * awaited at most {@value #TIMEOUT_SECONDS} s.
 */
@Component
public class RedisNodes {

	/** The one node of a single Redis. */
	public static final Node STANDALONE = new Node("", "redis", true);

	private static final long TIMEOUT_SECONDS = 10;

	private final LettuceConnectionFactory factory;

	private final StringRedisTemplate redis;

	public RedisNodes(LettuceConnectionFactory factory, StringRedisTemplate redis) {
		this.factory = factory;
		this.redis = redis;
	}

	public boolean isCluster() {
		return this.factory.isClusterAware();
	}

	/** The masters now: the nodes that hold the keys, sorted by address. */
	public List<Node> masters() {
		return nodes().stream().filter(Node::master).toList();
	}

	/**
	 * Every node that answers for the cluster now, masters and replicas, sorted by address
	 * (a replica promoted by a failover must already have what is set on every node).
	 */
	public List<Node> nodes() {
		if (!isCluster()) {
			return List.of(STANDALONE);
		}
		List<Node> nodes = new ArrayList<>();
		for (RedisClusterNode node : client().getPartitions()) {
			if (node.is(NodeFlag.FAIL) || node.is(NodeFlag.EVENTUAL_FAIL) || node.is(NodeFlag.NOADDR)) {
				continue;
			}
			boolean master = node.is(NodeFlag.UPSTREAM) && !node.getSlots().isEmpty();
			nodes.add(new Node(node.getNodeId(), node.getUri().getHost() + ":" + node.getUri().getPort(), master));
		}
		nodes.sort(Comparator.comparing(Node::address));
		return nodes;
	}

	/** The cluster client, for what needs a connection of its own (the event subscription). */
	public RedisClusterClient client() {
		if (!(this.factory.getNativeClient() instanceof RedisClusterClient client)) {
			throw new IllegalStateException("Not connected to a Redis Cluster");
		}
		return client;
	}

	/**
	 * Sends one command to {@code node} and awaits its reply.
	 * @throws RedisSystemException when the node answers an error, cannot be reached or is
	 * no longer part of the cluster
	 */
	public <T> T run(Node node, Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> command) {
		RedisFuture<T> future = this.redis.execute((RedisCallback<RedisFuture<T>>) (connection) -> {
			@SuppressWarnings("unchecked")
			RedisClusterAsyncCommands<byte[], byte[]> shared = (RedisClusterAsyncCommands<byte[], byte[]>) connection
				.getNativeConnection();
			if (node == STANDALONE) {
				return command.apply(shared);
			}
			return command.apply(((RedisAdvancedClusterAsyncCommands<byte[], byte[]>) shared).getConnection(node.id()));
		});
		try {
			return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			String what = (ex.getCause() instanceof RedisCommandExecutionException) ? "refused" : "failed";
			throw new RedisSystemException("Redis " + node.address() + " " + what + " a command: "
					+ ex.getCause().getMessage(), ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new QueryTimeoutException("Redis " + node.address() + " did not answer within " + TIMEOUT_SECONDS
					+ " s", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisSystemException("Interrupted while waiting for Redis " + node.address(), ex);
		}
	}

	/**
	 * A node of the cluster, or the one server.
	 *
	 * @param id its cluster node id ({@code ""} for a single Redis)
	 * @param address its host and port, for logs and health
	 * @param master whether it is a master holding slots
	 */
	public record Node(String id, String address, boolean master) {
	}

}
