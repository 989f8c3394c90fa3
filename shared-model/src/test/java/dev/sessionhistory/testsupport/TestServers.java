package dev.sessionhistory.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.redis.testcontainers.RedisContainer;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Redis and PostgreSQL servers the integration tests use, found once per JVM:
 * {@code TEST_REDIS_URL} / {@code TEST_DATABASE_URL} (+ {@code _USERNAME}, {@code _PASSWORD})
 * when set; else Testcontainers ({@code redis:7}, {@code postgres:16}, the tags of
 * docker-compose.yml) when a Docker engine answers; else the local servers on their
 * standard ports.
 * <p>
 * With the system property {@value #CLUSTER_PROPERTY} {@code true} (the build's
 * {@code redis-cluster} test runs) Redis is a cluster instead: the nodes named by
 * {@code TEST_REDIS_CLUSTER} ({@code host:port,…}), else a 3-master {@link PrivateRedisCluster}
 * started for the JVM. Tests take the connection settings from {@link #redisProperties()}
 * and never assume one or the other.
 *
 * @param redisUrl the Redis URL (on a cluster, of one of its nodes)
 * @param postgresUrl a JDBC URL of the server's maintenance database
 * @param username the PostgreSQL user, allowed to create databases
 * @param password its password
 * @param origin how the servers were found, for the test log
 * @param redisClusterNodes the cluster's nodes, {@code null} for a single Redis
 */
public record TestServers(String redisUrl, String postgresUrl, String username, String password, String origin,
		@Nullable String redisClusterNodes) {

	/** The system property that makes the tests run against a Redis Cluster. */
	public static final String CLUSTER_PROPERTY = "sessionhistory.test.redis-cluster";

	public static final String REDIS_IMAGE = "redis:7";

	public static final String POSTGRES_IMAGE = "postgres:16";

	private static TestServers instance;

	public static synchronized TestServers get() {
		if (instance == null) {
			instance = find();
		}
		return instance;
	}

	public boolean redisCluster() {
		return this.redisClusterNodes != null;
	}

	/** Spring Boot's settings that connect to this Redis: a URL, or a cluster's nodes. */
	public Map<String, String> redisProperties() {
		return redisCluster() ? Map.of("spring.data.redis.cluster.nodes", this.redisClusterNodes)
				: Map.of("spring.data.redis.url", this.redisUrl);
	}

	/** {@link #redisProperties()} as command line arguments of a service. */
	public List<String> redisArgs() {
		return redisProperties().entrySet().stream().map((entry) -> "--" + entry.getKey() + "=" + entry.getValue()).toList();
	}

	/** A connection factory's configuration for this Redis. */
	public RedisConfiguration redisConfiguration() {
		return redisCluster() ? new RedisClusterConfiguration(List.of(this.redisClusterNodes.split(",")))
				: LettuceConnectionFactory.createRedisConfiguration(this.redisUrl);
	}

	/** Deletes every key {@code PREFIX:*}, on every master of a cluster; returns how many. */
	public long deleteKeys(String prefix) {
		if (!redisCluster()) {
			return Isolation.deleteKeys(this.redisUrl, prefix);
		}
		List<RedisURI> uris = Stream.of(this.redisClusterNodes.split(","))
			.map((node) -> RedisURI.create("redis://" + node))
			.toList();
		RedisClusterClient client = RedisClusterClient.create(uris);
		try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
			long deleted = 0;
			for (RedisClusterNode node : connection.getPartitions()) {
				if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()) {
					deleted += Isolation.deleteKeys(connection.getConnection(node.getNodeId()).sync(),
							connection.sync(), prefix);
				}
			}
			return deleted;
		}
		finally {
			client.shutdown();
		}
	}

	/** A JDBC URL of database {@code name} on the same server. */
	public String jdbcUrl(String name) {
		int slash = this.postgresUrl.lastIndexOf('/');
		int query = this.postgresUrl.indexOf('?', slash);
		return this.postgresUrl.substring(0, slash + 1) + name + ((query < 0) ? "" : this.postgresUrl.substring(query));
	}

	public Connection connectAdmin() throws SQLException {
		return DriverManager.getConnection(this.postgresUrl, this.username, this.password);
	}

	public void createDatabase(String name) {
		execute("CREATE DATABASE " + name);
	}

	public void dropDatabase(String name) {
		execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
	}

	private void execute(String sql) {
		try (Connection connection = connectAdmin(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run '" + sql + "' on " + this.postgresUrl, ex);
		}
	}

	private static TestServers find() {
		String redis = System.getenv("TEST_REDIS_URL");
		String postgres = System.getenv("TEST_DATABASE_URL");
		String username = envOr("TEST_DATABASE_USERNAME", "postgres");
		String password = envOr("TEST_DATABASE_PASSWORD", "");
		if (Boolean.getBoolean(CLUSTER_PROPERTY)) {
			return onCluster((postgres != null) ? postgres : "jdbc:postgresql://localhost:5432/postgres", username,
					password);
		}
		if (redis == null && postgres == null && dockerAvailable()) {
			return startContainers();
		}
		return new TestServers((redis != null) ? redis : "redis://localhost:6379",
				(postgres != null) ? postgres : "jdbc:postgresql://localhost:5432/postgres", username, password,
				"servers named by TEST_REDIS_URL / TEST_DATABASE_URL or their localhost defaults", null);
	}

	private static TestServers onCluster(String postgres, String username, String password) {
		String nodes = System.getenv("TEST_REDIS_CLUSTER");
		String origin = "the Redis Cluster named by TEST_REDIS_CLUSTER";
		if (nodes == null) {
			PrivateRedisCluster cluster = PrivateRedisCluster.start(3, 0);
			Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
			nodes = cluster.nodes();
			origin = "a Redis Cluster of 3 masters of the tests' own";
		}
		return new TestServers("redis://" + nodes.split(",")[0], postgres, username, password,
				origin + " and the PostgreSQL of TEST_DATABASE_URL or localhost", nodes);
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	@SuppressWarnings("resource") // containers live as long as the JVM, stopped by Testcontainers' reaper
	private static TestServers startContainers() {
		RedisContainer redis = new RedisContainer(DockerImageName.parse(REDIS_IMAGE));
		PostgreSQLContainer postgres = new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE));
		redis.start();
		postgres.start();
		return new TestServers(redis.getRedisURI(), postgres.getJdbcUrl(), postgres.getUsername(),
				postgres.getPassword(), "Testcontainers " + REDIS_IMAGE + " and " + POSTGRES_IMAGE, null);
	}

	private static String envOr(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null) ? value : fallback;
	}

}
