package dev.sessionhistory.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import com.redis.testcontainers.RedisContainer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Redis and PostgreSQL servers the integration tests use, found once per JVM:
 * {@code TEST_REDIS_URL} / {@code TEST_DATABASE_URL} (+ {@code _USERNAME}, {@code _PASSWORD})
 * when set; else Testcontainers ({@code redis:7}, {@code postgres:16}, the tags of
 * docker-compose.yml) when a Docker engine answers; else the local servers on their
 * standard ports.
 *
 * @param redisUrl the Redis URL
 * @param postgresUrl a JDBC URL of the server's maintenance database
 * @param username the PostgreSQL user, allowed to create databases
 * @param password its password
 * @param origin how the servers were found, for the test log
 */
public record TestServers(String redisUrl, String postgresUrl, String username, String password, String origin) {

	public static final String REDIS_IMAGE = "redis:7";

	public static final String POSTGRES_IMAGE = "postgres:16";

	private static TestServers instance;

	public static synchronized TestServers get() {
		if (instance == null) {
			instance = find();
		}
		return instance;
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
		if (redis == null && postgres == null && dockerAvailable()) {
			return startContainers();
		}
		return new TestServers((redis != null) ? redis : "redis://localhost:6379",
				(postgres != null) ? postgres : "jdbc:postgresql://localhost:5432/postgres", username, password,
				"servers named by TEST_REDIS_URL / TEST_DATABASE_URL or their localhost defaults");
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
				postgres.getPassword(), "Testcontainers " + REDIS_IMAGE + " and " + POSTGRES_IMAGE);
	}

	private static String envOr(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null) ? value : fallback;
	}

}
