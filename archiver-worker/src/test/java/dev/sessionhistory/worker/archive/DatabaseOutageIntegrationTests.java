package dev.sessionhistory.worker.archive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.sessionhistory.worker.ArchiveRows;
import dev.sessionhistory.worker.SessionWriter;
import dev.sessionhistory.worker.SessionWriter.Session;
import dev.sessionhistory.worker.WorkerServers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL of its own, stopped while a wave of sessions ends: nothing is lost, nothing
 * is stuck, nothing is archived twice.
 */
class DatabaseOutageIntegrationTests {

	@RegisterExtension
	static final WorkerServers servers = WorkerServers.ownPostgres();

	@Test
	void sessionsEndingWhilePostgresIsDownAreArchivedOnceItIsBack() {
		ArchiveRows rows = servers.rows();
		SessionWriter writer = servers.writer();
		try (ConfigurableApplicationContext worker = servers.startWorker("history.archive.backoff-min=200ms",
				"history.archive.backoff-max=2s")) {
			Session before = writer.create("BEFORE", 3_600_000).append(3).end();
			await().atMost(Duration.ofSeconds(5)).until(() -> rows.isArchived(before));

			servers.postgres().stop();
			List<Session> wave = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				wave.add(writer.create("DOWN" + i, 3_600_000).append(1 + i % 4).end());
			}
			for (int i = 0; i < 50; i++) {
				wave.add(writer.create("EXPIRE" + i, 300).append(2));
			}
			MeterRegistry meters = worker.getBean(MeterRegistry.class);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> meters.counter("history.archive.failures", "reason", "database").count() > 0
						&& meters.counter("history.archive.retries").count() > 0);
			// Attempts go on failing while the wave ends and expires: its data all stays in Redis.
			await().during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> wave.stream().allMatch(Session::inRedis));

			servers.postgres().restart();
			List<Session> all = new ArrayList<>(wave);
			all.add(before);
			await().atMost(Duration.ofSeconds(30)).until(() -> rows.count(all) == all.size());
			rows.assertAllArchivedExactly(all);
			await().atMost(Duration.ofSeconds(5)).until(() -> wave.stream().noneMatch(Session::inRedis));
		}
	}

}
