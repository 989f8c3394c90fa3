package dev.sessionhistory.worker.sweep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.worker.ArchiveRows;
import dev.sessionhistory.worker.SessionWriter;
import dev.sessionhistory.worker.SessionWriter.Session;
import dev.sessionhistory.worker.WorkerServers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Without events: sessions that ended while no worker ran are archived when one starts,
 * and ends whose event is lost are archived by the sweep within seconds.
 */
class CatchUpIntegrationTests {

	@RegisterExtension
	static final WorkerServers servers = WorkerServers.shared();

	private final ArchiveRows rows = servers.rows();

	@Test
	void aWorkerStartingLateArchivesEverythingThatEndedWhileNoneRan() {
		SessionWriter writer = servers.writer();
		StringRedisTemplate redis = writer.redis();
		RedisKeys keys = writer.keys();
		List<Session> ended = new ArrayList<>();
		List<Session> expiring = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			ended.add(writer.create("GONE" + i, 3_600_000).append(1 + i % 7).end());
			expiring.add(writer.create("EXPD" + i, 500).append(1 + i % 5));
		}
		ended.addAll(expiring);
		Session live = writer.create("STAYS", 3_600_000).append(3);
		// Their live keys expire while no worker listens.
		await().atMost(Duration.ofSeconds(5))
			.until(() -> expiring.stream()
				.noneMatch((session) -> Boolean.TRUE.equals(redis.hasKey(keys.live(session.code())))));

		try (ConfigurableApplicationContext worker = servers.startWorker()) {
			await().atMost(Duration.ofSeconds(10)).until(() -> this.rows.count(ended) == ended.size());
			this.rows.assertAllArchivedExactly(ended);
			MeterRegistry meters = worker.getBean(MeterRegistry.class);
			assertThat(meters.counter("history.archive.sessions", "trigger", "sweep").count()).isEqualTo(60);
			await().atMost(Duration.ofSeconds(2)).until(() -> ended.stream().noneMatch(Session::inRedis));
			assertThat(redis.opsForValue().get(keys.live("STAYS"))).isEqualTo(live.sid().toString());
			assertThat(redis.opsForZSet().score(keys.due(live.code()), live.member()))
				.isGreaterThan(System.currentTimeMillis() + 3_000_000.0);
		}
	}

	@Test
	void endsWhoseEventIsLostAreArchivedWithinTenSeconds() {
		SessionWriter writer = servers.writer();
		try (ConfigurableApplicationContext worker = servers.startWorker()) {
			List<Session> sessions = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				sessions.add(writer.create("LOST" + i, 3_600_000).append(2));
			}
			sessions.forEach((session) -> session.endWithoutEvent(Duration.ZERO));
			await().atMost(Duration.ofSeconds(10)).until(() -> sessions.stream().allMatch(this.rows::isArchived));
			sessions.forEach((session) -> this.rows.assertArchivedExactly(session, "ended"));
		}
	}

	@Test
	void aWorkerMovesWhatAnOlderVersionLeftInTheSingleDueIndexIntoTheBucketsAndArchivesIt() {
		SessionWriter writer = servers.writer();
		StringRedisTemplate redis = writer.redis();
		RedisKeys keys = writer.keys();
		// Written by a layout 3 service: ended, its event missed, due only in the old index.
		List<Session> old = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			Session session = writer.create("OLD" + i, 3_600_000).append(2).endUnindexed();
			redis.opsForZSet().add(keys.legacyDue(), session.member(), System.currentTimeMillis() - 1000);
			old.add(session);
		}
		Session live = writer.create("OLDLIVE", 3_600_000).append(1);
		redis.opsForZSet().remove(keys.due(live.code()), live.member());
		redis.opsForZSet().add(keys.legacyDue(), live.member(), System.currentTimeMillis() + 3_600_000);
		redis.opsForZSet().add(keys.legacyDue(), "not a member", 1);

		try (ConfigurableApplicationContext worker = servers.startWorker("history.sweep.reconcile-interval=1h")) {
			await().atMost(Duration.ofSeconds(10)).until(() -> this.rows.count(old) == old.size());
			this.rows.assertAllArchivedExactly(old);
			assertThat(redis.hasKey(keys.legacyDue())).isFalse();
			// the live one keeps its score, now in its bucket
			assertThat(redis.opsForZSet().score(keys.due(live.code()), live.member()))
				.isGreaterThan(System.currentTimeMillis() + 3_000_000.0);
			await().atMost(Duration.ofSeconds(2)).until(() -> old.stream().noneMatch(Session::inRedis));
			assertThat(old).allMatch((session) -> redis.opsForZSet().score(keys.due(session.code()), session.member()) == null);
		}
	}

}
