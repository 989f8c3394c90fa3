package dev.sessionhistory.worker.archive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.testsupport.Isolation;
import dev.sessionhistory.testsupport.RealServers;
import dev.sessionhistory.worker.ArchiveRows;
import dev.sessionhistory.worker.RowsConfiguration;
import dev.sessionhistory.worker.SessionWriter;
import dev.sessionhistory.worker.SessionWriter.Session;
import dev.sessionhistory.worker.Workers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two worker replicas on one wave of ends: every session archived exactly once.
 */
@RealServers
@SpringBootTest(webEnvironment = WebEnvironment.NONE)
class ConcurrentWorkersIntegrationTests {

	private static final int SESSIONS = 1500;

	@Autowired
	private Isolation isolation;

	@Autowired
	private StringRedisTemplate redis;

	@Autowired
	private ArchiveRows rows;

	@Test
	void twoWorkersArchiveEachSessionOfAWaveExactlyOnce() {
		SessionWriter writer = new SessionWriter(this.redis, RedisKeys.withPrefix(this.isolation.keyPrefix()));
		try (ConfigurableApplicationContext first = startWorker("history.worker-id=first");
				ConfigurableApplicationContext second = startWorker("history.worker-id=second")) {
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
		SessionWriter writer = new SessionWriter(this.redis, RedisKeys.withPrefix(this.isolation.keyPrefix()));
		List<Session> sessions = new ArrayList<>();
		for (int i = 0; i < 600; i++) {
			sessions.add(writer.create("STOP" + i, 3_600_000).append(1 + i % 3));
		}
		ConfigurableApplicationContext leaving = startWorker("history.worker-id=leaving");
		try {
			sessions.forEach(Session::end);
			await().atMost(Duration.ofSeconds(30)).until(() -> this.rows.count(sessions) > 0);
		}
		finally {
			leaving.close();
		}
		// Claims of the stopped worker would keep the next one away for the claim TTL (30 s).
		ConfigurableApplicationContext next = startWorker("history.worker-id=next");
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.rows.count(sessions) == sessions.size());
			this.rows.assertAllArchivedExactly(sessions);
		}
		finally {
			next.close();
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

	private ConfigurableApplicationContext startWorker(String... properties) {
		return Workers.start(this.isolation.jdbcUrl(), this.isolation.servers().username(),
				this.isolation.servers().password(), this.isolation.servers().redisUrl(), this.isolation.keyPrefix(),
				properties);
	}

	/** Clients only: the workers are started by the test. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(RowsConfiguration.class)
	static class Clients {

	}

}
