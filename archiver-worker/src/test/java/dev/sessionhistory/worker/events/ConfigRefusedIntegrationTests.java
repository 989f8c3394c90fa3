package dev.sessionhistory.worker.events;

import java.time.Duration;
import java.util.UUID;

import dev.sessionhistory.testsupport.PrivateRedis;
import dev.sessionhistory.testsupport.TestServers;
import dev.sessionhistory.worker.ArchiveRows;
import dev.sessionhistory.worker.SessionWriter;
import dev.sessionhistory.worker.SessionWriter.Session;
import dev.sessionhistory.worker.Workers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis that refuses {@code CONFIG}, as managed services do, and publishes no keyspace
 * events: the worker warns once and archives expired sessions through the sweep.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigRefusedIntegrationTests {

	private static final String DATABASE = "sh_test_configrefused_" + UUID.randomUUID().toString().substring(0, 8);

	private static PrivateRedis redis;

	@BeforeAll
	static void startRedis() {
		redis = PrivateRedis.start("--rename-command", "CONFIG", "");
		TestServers.get().createDatabase(DATABASE);
	}

	@AfterAll
	static void cleanUp() {
		if (redis != null) {
			redis.close();
		}
		TestServers.get().dropDatabase(DATABASE);
	}

	@Test
	void expiredSessionsAreArchivedByTheSweepWhenConfigIsRefused(CapturedOutput output) {
		TestServers servers = TestServers.get();
		ArchiveRows rows = ArchiveRows.connect(servers.jdbcUrl(DATABASE), servers.username(), servers.password());
		try (ConfigurableApplicationContext worker = Workers.start(servers.jdbcUrl(DATABASE), servers.username(),
				servers.password(), redis.url(), "sh");
				SessionWriter writer = SessionWriter.connect(redis.url(), "sh")) {
			Session expiring = writer.create("QUIET", 1000).append(6);
			long expiresAt = System.currentTimeMillis() + 1000;
			Session ended = writer.create("ENDS", 3_600_000).append(2).end();

			await().atMost(Duration.ofSeconds(10)).until(() -> rows.isArchived(expiring) && rows.isArchived(ended));
			assertThat(System.currentTimeMillis() - expiresAt).isLessThan(10_000);
			rows.assertArchivedExactly(expiring, "expired");
			rows.assertArchivedExactly(ended, "ended");
			MeterRegistry meters = worker.getBean(MeterRegistry.class);
			assertThat(meters.counter("history.archive.sessions", "trigger", "sweep").count()).isEqualTo(1);
			assertThat(meters.counter("history.archive.sessions", "trigger", "end").count()).isEqualTo(1);
			Health health = worker.getBean(EventSubscriptionHealthIndicator.class).health();
			assertThat(health.getDetails().get("keyspaceEvents").toString()).contains("CONFIG refused");
			assertThat(output.getOut().split("Configure the Redis server with 'notify-keyspace-events Ex'", -1))
				.hasSize(2);
		}
	}

}
