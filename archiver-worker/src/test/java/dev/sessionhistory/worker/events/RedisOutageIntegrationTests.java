package dev.sessionhistory.worker.events;

import java.time.Duration;

import dev.sessionhistory.testsupport.PrivateRedis;
import dev.sessionhistory.worker.ArchiveRows;
import dev.sessionhistory.worker.SessionWriter;
import dev.sessionhistory.worker.SessionWriter.Session;
import dev.sessionhistory.worker.WorkerServers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

	@RegisterExtension
	static final WorkerServers servers = WorkerServers.ownRedis("--appendonly", "yes", "--appendfsync", "always");

	@Test
	void afterARedisRestartTheWorkerResubscribesAndCatchesUp() throws InterruptedException {
		ArchiveRows rows = servers.rows();
		SessionWriter writer = servers.writer();
		PrivateRedis redis = servers.redis();
		try (ConfigurableApplicationContext worker = servers.startWorker("history.sweep.interval=1h")) {
			EventSubscriptionHealthIndicator health = worker.getBean(EventSubscriptionHealthIndicator.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> Status.UP.equals(health.health().getStatus()));
			Session expiresWhileDown = writer.create("AWAY", 1500).append(4);

			redis.stop();
			// Deliberately down past the session's expiry (1.5 s), so that no event can tell of it.
			Thread.sleep(2500);
			redis.restart();

			// Nothing but the sweep after the resubscription can find this one: its expiry passed unseen.
			await().atMost(Duration.ofSeconds(10)).until(() -> rows.isArchived(expiresWhileDown));
			rows.assertArchivedExactly(expiresWhileDown, "expired");
			// Archived by an expired event: the setting was applied again after the restart.
			Session expiresAfter = writer.create("BACK", 1000).append(2);
			await().atMost(Duration.ofSeconds(15)).until(() -> rows.isArchived(expiresAfter));
			rows.assertArchivedExactly(expiresAfter, "expired");
			MeterRegistry meters = worker.getBean(MeterRegistry.class);
			assertThat(meters.counter("history.archive.sessions", "trigger", "event").count()).isEqualTo(1);
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
		}
	}

}
