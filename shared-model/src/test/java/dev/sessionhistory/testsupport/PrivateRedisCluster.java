package dev.sessionhistory.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;

/**
 * A Redis Cluster of a test's own: {@code masters} masters, each with {@code replicas}
 * replicas, every node a {@link PrivateRedis} on a free loopback port with keyspace events
 * for expiries on, joined by {@code redis-cli --cluster create}. A node may be killed and
 * restarted; {@link #close()} stops them all.
 */
public final class PrivateRedisCluster implements AutoCloseable {

	/** Short, so that a killed master's replica takes over in a few seconds. */
	static final Duration NODE_TIMEOUT = Duration.ofMillis(2000);

	private final List<PrivateRedis> nodes;

	private PrivateRedisCluster(List<PrivateRedis> nodes) {
		this.nodes = nodes;
	}

	public static PrivateRedisCluster start(int masters, int replicas) {
		List<PrivateRedis> nodes = new ArrayList<>();
		try {
			for (int i = 0; i < masters * (1 + replicas); i++) {
				nodes.add(PrivateRedis.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
						"--cluster-node-timeout", Long.toString(NODE_TIMEOUT.toMillis()), "--notify-keyspace-events",
						"Ex"));
			}
			PrivateRedisCluster cluster = new PrivateRedisCluster(nodes);
			List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
			nodes.forEach((node) -> create.add("127.0.0.1:" + node.port()));
			create.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
			Path log = Files.createTempFile("redis-cluster-create", ".log");
			ServerProcesses.run(create, log);
			Files.deleteIfExists(log);
			cluster.awaitOk(Duration.ofSeconds(30));
			return cluster;
		}
		catch (IOException ex) {
			nodes.forEach(PrivateRedis::close);
			throw new UncheckedIOException(ex);
		}
		catch (RuntimeException ex) {
			nodes.forEach(PrivateRedis::close);
			throw ex;
		}
	}

	/** {@code host:port,host:port,…} of every node, for {@code spring.data.redis.cluster.nodes}. */
	public String nodes() {
		return this.nodes.stream().map((node) -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
	}

	public List<PrivateRedis> servers() {
		return List.copyOf(this.nodes);
	}

	/** Waits until every running node says {@code cluster_state:ok}. */
	public void awaitOk(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			List<String> notOk = new ArrayList<>();
			for (PrivateRedis node : this.nodes) {
				if (node.isRunning() && !clusterInfo(node).contains("cluster_state:ok")) {
					notOk.add(node.url());
				}
			}
			if (notOk.isEmpty()) {
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Cluster not ok within " + timeout + " at " + notOk);
			}
			ServerProcesses.sleep(100);
		}
	}

	/**
	 * The port of the master serving each slot now, as the first running node that answers
	 * {@code CLUSTER NODES} sees it.
	 */
	public int[] masterPorts() {
		for (PrivateRedis node : this.nodes) {
			if (!node.isRunning()) {
				continue;
			}
			RedisClient client = RedisClient.create(node.url());
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				Partitions partitions = ClusterPartitionParser.parse(connection.sync().clusterNodes());
				int[] ports = new int[SlotHash.SLOT_COUNT];
				for (int slot = 0; slot < ports.length; slot++) {
					RedisClusterNode master = partitions.getPartitionBySlot(slot);
					ports[slot] = (master != null) ? master.getUri().getPort() : -1;
				}
				return ports;
			}
			catch (RuntimeException ex) {
				// try the next node
			}
			finally {
				client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
			}
		}
		throw new IllegalStateException("No node of the cluster answers");
	}

	/**
	 * Moves {@code slots} slots from one master to another with {@code redis-cli --cluster
	 * reshard}, keys and all (each key with {@code MIGRATE}, while clients go on: they are
	 * redirected with {@code ASK} during a slot's move and {@code MOVED} after it).
	 */
	public void reshard(PrivateRedis from, PrivateRedis to, int slots) {
		try {
			Path log = Files.createTempFile("redis-cluster-reshard", ".log");
			ServerProcesses.run(List.of("redis-cli", "--cluster", "reshard", "127.0.0.1:" + from.port(),
					"--cluster-from", myId(from), "--cluster-to", myId(to), "--cluster-slots", Integer.toString(slots),
					"--cluster-yes"), log);
			Files.deleteIfExists(log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String myId(PrivateRedis node) {
		RedisClient client = RedisClient.create(node.url());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return connection.sync().clusterMyId();
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}
	}

	/**
	 * Cuts {@code master} off its replica: the replica is frozen (SIGSTOP), so it cannot
	 * reconnect, and the master drops its link ({@code CLIENT KILL TYPE SLAVE}), so what it
	 * acknowledges from now on is on the master alone (on loopback a replica is otherwise
	 * microseconds behind). {@link PrivateRedis#resume()} of the replica lets it go on.
	 * @return the replica
	 */
	public PrivateRedis cutOffReplica(PrivateRedis master) {
		PrivateRedis replica = replicaOf(master);
		replica.pause();
		RedisClient client = RedisClient.create(master.url());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			connection.sync().clientKill(KillArgs.Builder.typeSlave());
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}
		return replica;
	}

	/** The replica of {@code master}, as {@code CLUSTER NODES} of the master says. */
	public PrivateRedis replicaOf(PrivateRedis master) {
		RedisClient client = RedisClient.create(master.url());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			String id = connection.sync().clusterMyId();
			Partitions partitions = ClusterPartitionParser.parse(connection.sync().clusterNodes());
			for (RedisClusterNode node : partitions) {
				if (id.equals(node.getSlaveOf())) {
					int port = node.getUri().getPort();
					return this.nodes.stream().filter((server) -> server.port() == port).findFirst().orElseThrow();
				}
			}
			throw new IllegalStateException("Redis on port " + master.port() + " has no replica");
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}
	}

	/** {@code CLUSTER INFO} of one node, empty when it does not answer. */
	static String clusterInfo(PrivateRedis node) {
		RedisClient client = RedisClient.create(node.url());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return connection.sync().clusterInfo();
		}
		catch (RuntimeException ex) {
			return "";
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}
	}

	@Override
	public void close() {
		this.nodes.forEach(PrivateRedis::close);
	}

}
