package dev.sessionhistory.worker.archive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.sessionhistory.worker.ArchiveRows;
import dev.sessionhistory.worker.SessionWriter;
import dev.sessionhistory.worker.SessionWriter.Session;
import dev.sessionhistory.worker.WorkerServers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two worker replicas on one wave of ends: every session archived exactly once.
 */
class ConcurrentWorkersIntegrationTests {

	private static final int SESSIONS = 1500;

	@RegisterExtension
	static final WorkerServers servers = WorkerServers.shared();

	private final ArchiveRows rows = servers.rows();

	@Test
	void twoWorkersArchiveEachSessionOfAWaveExactlyOnce() {
		SessionWriter writer = servers.writer();
		try (ConfigurableApplicationContext first = servers.startWorker("history.worker-id=first");
				ConfigurableApplicationContext second = servers.startWorker("history.worker-id=second")) {
			List<Session> sessions = new ArrayList<>();
			for (int i = 0; i < SESSIONS; i++) {
				sessions.add(writer.create("WAVE" + i, 3_600_000).append(1 + i % 6));
			}
			long started = System.currentTimeMillis();
			sessions.forEach(Session::end);

			await().atMost(Duration.ofSeconds(60)).until(() -> this.rows.count(sessions) == SESSIONS);
			long took = System.currentTimeMillis() - started;
			this.rows.assertAllArchivedExactly(sessions);
			await().atMost(Duration.ofSeconds(5)).until(() -> sessions.stream().noneMatch(Session::inRedis));
			double byFirst = archived(first);
			double bySecond = archived(second);
			assertThat(byFirst + bySecond).isEqualTo(SESSIONS);
			System.out.printf("Wave of %d ends archived in %d ms: %.0f by the first worker, %.0f by the second%n",
					SESSIONS, took, byFirst, bySecond);
		}
	}

	@Test
	void aWorkerShutDownMidWaveLeavesNothingHalfDoneForTheNext() {
		SessionWriter writer = servers.writer();
		List<Session> sessions = new ArrayList<>();
		for (int i = 0; i < 600; i++) {
			sessions.add(writer.create("STOP" + i, 3_600_000).append(1 + i % 3));
		}
		try (ConfigurableApplicationContext leaving = servers.startWorker("history.worker-id=leaving")) {
			sessions.forEach(Session::end);
			await().atMost(Duration.ofSeconds(30)).until(() -> this.rows.count(sessions) > 0);
		}
		// Claims of the stopped worker would keep the next one away for the claim TTL (30 s).
		try (ConfigurableApplicationContext next = servers.startWorker("history.worker-id=next")) {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.rows.count(sessions) == sessions.size());
			this.rows.assertAllArchivedExactly(sessions);
		}
	}

	private static double archived(ConfigurableApplicationContext worker) {
		return Search.in(worker.getBean(MeterRegistry.class))
			.name("history.archive.sessions")
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
	}

}
