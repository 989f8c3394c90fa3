package dev.sessionhistory.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrivateServersTests {

	@Test
	void privateRedisKeepsAppendOnlyDataAcrossAKill() {
		try (PrivateRedis redis = PrivateRedis.start("--appendonly", "yes", "--appendfsync", "always")) {
			RedisClient client = RedisClient.create(redis.url());
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				connection.sync().set("k", "v");
			}
			redis.stop();
			assertThat(ServerProcesses.accepts(redis.port())).isFalse();
			redis.restart();
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				assertThat(connection.sync().get("k")).isEqualTo("v");
			}
			finally {
				client.shutdown();
			}
		}
	}

	@Test
	void privatePostgresStopsAndRestartsWithItsData() throws Exception {
		try (PrivatePostgres postgres = PrivatePostgres.start()) {
			postgres.createDatabase("probe");
			try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("probe"), "postgres", "");
					Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE t (v int); INSERT INTO t VALUES (42)");
			}
			postgres.stop();
			assertThat(ServerProcesses.accepts(postgres.port())).isFalse();
			postgres.restart();
			try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("probe"), "postgres", "");
					Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery("SELECT v FROM t")) {
				assertThat(rows.next()).isTrue();
				assertThat(rows.getInt(1)).isEqualTo(42);
			}
		}
	}

}
