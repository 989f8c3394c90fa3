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

import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis of its own, killed and restarted (from its append-only file, which keeps the data
 * but not the keyspace-event setting): the worker reconnects, resubscribes, sets the
 * setting again and sweeps up what ended meanwhile.
 */
class RedisOutageIntegrationTests {

	private static final String DATABASE = "sh_test_redisoutage_" + UUID.randomUUID().toString().substring(0, 8);

	private static PrivateRedis redis;

	@BeforeAll
	static void startRedis() {
		redis = PrivateRedis.start("--appendonly", "yes", "--appendfsync", "always");
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
	void afterARedisRestartTheWorkerResubscribesAndCatchesUp() throws InterruptedException {
		TestServers servers = TestServers.get();
		ArchiveRows rows = ArchiveRows.connect(servers.jdbcUrl(DATABASE), servers.username(), servers.password());
		try (ConfigurableApplicationContext worker = Workers.start(servers.jdbcUrl(DATABASE), servers.username(),
				servers.password(), redis.url(), "sh", "history.sweep.interval=1h");
				SessionWriter writer = SessionWriter.connect(redis.url(), "sh")) {
			EventSubscriptionHealthIndicator health = worker.getBean(EventSubscriptionHealthIndicator.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> Status.UP.equals(health.health().getStatus()));
			Session expiresWhileDown = writer.create("AWAY", 1500).append(4);

			redis.stop();
			Thread.sleep(2500);
			redis.restart();

			// Nothing but the sweep after the resubscription can find this one: its expiry passed unseen.
			await().atMost(Duration.ofSeconds(10)).until(() -> rows.isArchived(expiresWhileDown));
			rows.assertArchivedExactly(expiresWhileDown, "expired");
			// Archived by an expired event: the setting was applied again after the restart.
			Session expiresAfter = writer.create("BACK", 1000).append(2);
			await().atMost(Duration.ofSeconds(5)).until(() -> rows.isArchived(expiresAfter));
			rows.assertArchivedExactly(expiresAfter, "expired");
			MeterRegistry meters = worker.getBean(MeterRegistry.class);
			assertThat(meters.counter("history.archive.sessions", "trigger", "event").count()).isEqualTo(1);
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
		}
	}

}
