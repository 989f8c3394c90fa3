package dev.sessionhistory.worker.archive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.sessionhistory.testsupport.Isolation;
import dev.sessionhistory.testsupport.PrivatePostgres;
import dev.sessionhistory.testsupport.TestServers;
import dev.sessionhistory.worker.ArchiveRows;
import dev.sessionhistory.worker.SessionWriter;
import dev.sessionhistory.worker.SessionWriter.Session;
import dev.sessionhistory.worker.Workers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL of its own, stopped while a wave of sessions ends: nothing is lost, nothing
 * is stuck, nothing is archived twice.
 */
class DatabaseOutageIntegrationTests {

	private static final String PREFIX = "tdbout" + UUID.randomUUID().toString().substring(0, 8);

	private static PrivatePostgres postgres;

	@BeforeAll
	static void startPostgres() {
		postgres = PrivatePostgres.start();
		postgres.createDatabase("history");
	}

	@AfterAll
	static void cleanUp() {
		if (postgres != null) {
			postgres.close();
		}
		Isolation.deleteKeys(TestServers.get().redisUrl(), PREFIX);
	}

	@Test
	void sessionsEndingWhilePostgresIsDownAreArchivedOnceItIsBack() throws InterruptedException {
		String redisUrl = TestServers.get().redisUrl();
		ArchiveRows rows = ArchiveRows.connect(postgres.jdbcUrl("history"), "postgres", "");
		try (ConfigurableApplicationContext worker = Workers.start(postgres.jdbcUrl("history"), "postgres", "",
				redisUrl, PREFIX, "history.archive.backoff-min=200ms", "history.archive.backoff-max=2s");
				SessionWriter writer = SessionWriter.connect(redisUrl, PREFIX)) {
			Session before = writer.create("BEFORE", 3_600_000).append(3).end();
			await().atMost(Duration.ofSeconds(5)).until(() -> rows.isArchived(before));

			postgres.stop();
			List<Session> wave = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				wave.add(writer.create("DOWN" + i, 3_600_000).append(1 + i % 4).end());
			}
			for (int i = 0; i < 50; i++) {
				wave.add(writer.create("EXPIRE" + i, 300).append(2));
			}
			Thread.sleep(3000);
			assertThat(wave).allMatch(Session::inRedis);
			MeterRegistry meters = worker.getBean(MeterRegistry.class);
			assertThat(meters.counter("history.archive.failures", "reason", "database").count()).isPositive();
			assertThat(meters.counter("history.archive.retries").count()).isPositive();

			postgres.restart();
			List<Session> all = new ArrayList<>(wave);
			all.add(before);
			await().atMost(Duration.ofSeconds(30)).until(() -> rows.count(all) == all.size());
			rows.assertAllArchivedExactly(all);
			await().atMost(Duration.ofSeconds(5)).until(() -> wave.stream().noneMatch(Session::inRedis));
		}
	}

}
