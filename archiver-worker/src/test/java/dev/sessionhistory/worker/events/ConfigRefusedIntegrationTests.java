package dev.sessionhistory.worker.events;

import java.time.Duration;

import dev.sessionhistory.worker.ArchiveRows;
import dev.sessionhistory.worker.SessionWriter;
import dev.sessionhistory.worker.SessionWriter.Session;
import dev.sessionhistory.worker.WorkerServers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

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

	@RegisterExtension
	static final WorkerServers servers = WorkerServers.ownRedis("--rename-command", "CONFIG", "");

	@Test
	void expiredSessionsAreArchivedByTheSweepWhenConfigIsRefused(CapturedOutput output) {
		ArchiveRows rows = servers.rows();
		SessionWriter writer = servers.writer();
		try (ConfigurableApplicationContext worker = servers.startWorker()) {
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
