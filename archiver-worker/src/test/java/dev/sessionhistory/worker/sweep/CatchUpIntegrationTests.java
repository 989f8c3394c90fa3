package dev.sessionhistory.worker.sweep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.SessionMeta;
import dev.sessionhistory.testsupport.Isolation;
import dev.sessionhistory.testsupport.RealServers;
import dev.sessionhistory.worker.ArchiveRows;
import dev.sessionhistory.worker.RowsConfiguration;
import dev.sessionhistory.worker.SessionWriter;
import dev.sessionhistory.worker.SessionWriter.Session;
import dev.sessionhistory.worker.Workers;
import io.micrometer.core.instrument.MeterRegistry;
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
 * Without events: sessions that ended while no worker ran are archived when one starts,
 * and ends whose event is lost are archived by the sweep within seconds.
 */
@RealServers
@SpringBootTest(webEnvironment = WebEnvironment.NONE)
class CatchUpIntegrationTests {

	@Autowired
	private Isolation isolation;

	@Autowired
	private StringRedisTemplate redis;

	@Autowired
	private ArchiveRows rows;

	@Test
	void aWorkerStartingLateArchivesEverythingThatEndedWhileNoneRan() throws InterruptedException {
		RedisKeys keys = RedisKeys.withPrefix(this.isolation.keyPrefix());
		SessionWriter writer = new SessionWriter(this.redis, keys);
		List<Session> ended = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			ended.add(writer.create("GONE" + i, 3_600_000).append(1 + i % 7).end());
			ended.add(writer.create("EXPD" + i, 500).append(1 + i % 5));
		}
		Session live = writer.create("STAYS", 3_600_000).append(3);
		Thread.sleep(1000);

		try (ConfigurableApplicationContext worker = startWorker()) {
			await().atMost(Duration.ofSeconds(10)).until(() -> this.rows.count(ended) == ended.size());
			this.rows.assertAllArchivedExactly(ended);
			MeterRegistry meters = worker.getBean(MeterRegistry.class);
			assertThat(meters.counter("history.archive.sessions", "trigger", "sweep").count()).isEqualTo(60);
			await().atMost(Duration.ofSeconds(2)).until(() -> ended.stream().noneMatch(Session::inRedis));
			assertThat(this.redis.opsForValue().get(keys.live("STAYS"))).isEqualTo(live.sid().toString());
			assertThat(this.redis.opsForZSet().score(keys.due(), live.member()))
				.isGreaterThan(System.currentTimeMillis() + 3_000_000.0);
		}
	}

	@Test
	void endsWhoseEventIsLostAreArchivedWithinTenSeconds() {
		RedisKeys keys = RedisKeys.withPrefix(this.isolation.keyPrefix());
		SessionWriter writer = new SessionWriter(this.redis, keys);
		ConfigurableApplicationContext worker = startWorker();
		try {
			List<Session> sessions = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				sessions.add(writer.create("LOST" + i, 3_600_000).append(2));
			}
			long endedAt = System.currentTimeMillis();
			// What the end script does, without the publish: an event lost in transit.
			for (Session session : sessions) {
				this.redis.delete(keys.live(session.code()));
				this.redis.opsForHash()
					.putAll(keys.meta(session.code(), session.sid()),
							Map.of(SessionMeta.STATUS, SessionMeta.ENDED, SessionMeta.ENDED_AT,
									String.valueOf(endedAt), SessionMeta.END_REASON, SessionMeta.REASON_ENDED));
				this.redis.opsForZSet().add(keys.due(), session.member(), endedAt);
			}
			await().atMost(Duration.ofSeconds(10))
				.until(() -> sessions.stream().allMatch(this.rows::isArchived));
			sessions.forEach((session) -> this.rows.assertArchivedExactly(session, "ended"));
		}
		finally {
			worker.close();
		}
	}

	private ConfigurableApplicationContext startWorker() {
		return Workers.start(this.isolation.jdbcUrl(), this.isolation.servers().username(),
				this.isolation.servers().password(), this.isolation.servers().redisUrl(), this.isolation.keyPrefix());
	}

	/** Clients only: the workers of this class start when a test says so. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(RowsConfiguration.class)
	static class Clients {

	}

}
