package dev.sessionhistory.worker.sweep;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.sessionhistory.model.SessionMeta;
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

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.RedisCallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis of its own, whose ACL can take {@code SCAN} away from the worker: the reconcile
 * re-indexes pending instances missing from the due index, and while its steps fail the
 * sweep archives on as if nothing happened.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReconcilerIntegrationTests {

	private static final String DATABASE = "sh_test_reconciler_" + UUID.randomUUID().toString().substring(0, 8);

	private static PrivateRedis redis;

	@BeforeAll
	static void startRedis() {
		redis = PrivateRedis.start();
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
	void aPendingInstanceMissingFromTheDueIndexIsReindexedAndArchived() {
		TestServers servers = TestServers.get();
		ArchiveRows rows = ArchiveRows.connect(servers.jdbcUrl(DATABASE), servers.username(), servers.password());
		try (ConfigurableApplicationContext worker = startWorker();
				SessionWriter writer = SessionWriter.connect(redis.url(), "sh")) {
			Session unindexed = writer.create("UNINDEXED", 3_600_000).append(3);
			endWithoutEvent(writer, unindexed, false);
			assertThat(writer.redis().opsForZSet().score(writer.keys().due(), unindexed.member())).isNull();

			await().atMost(Duration.ofSeconds(20)).until(() -> rows.isArchived(unindexed));
			rows.assertArchivedExactly(unindexed, "ended");
			MeterRegistry meters = worker.getBean(MeterRegistry.class);
			assertThat(meters.counter("history.sweep.reindexed").count()).isGreaterThanOrEqualTo(1);
			assertThat(meters.counter("history.sweep.reconcile.passes").count()).isGreaterThanOrEqualTo(1);
		}
	}

	@Test
	void theSweepKeepsArchivingWhileReconcileStepsFailAndReconcileResumesAfterwards(CapturedOutput output) {
		TestServers servers = TestServers.get();
		ArchiveRows rows = ArchiveRows.connect(servers.jdbcUrl(DATABASE), servers.username(), servers.password());
		try (SessionWriter writer = SessionWriter.connect(redis.url(), "sh")) {
			acl(writer, "-scan");
			try (ConfigurableApplicationContext worker = startWorker()) {
				MeterRegistry meters = worker.getBean(MeterRegistry.class);
				await().atMost(Duration.ofSeconds(20))
					.until(() -> meters.counter("history.sweep.reconcile.failures").count() >= 3);

				Session unindexed = writer.create("MISSED", 3_600_000).append(2);
				endWithoutEvent(writer, unindexed, false);
				List<Session> indexed = new ArrayList<>();
				for (int i = 0; i < 10; i++) {
					indexed.add(writer.create("SWEPT" + i, 3_600_000).append(1 + i % 3));
				}
				indexed.forEach((session) -> endWithoutEvent(writer, session, true));
				await().atMost(Duration.ofSeconds(20)).until(() -> indexed.stream().allMatch(rows::isArchived));
				rows.assertAllArchivedExactly(indexed);
				// Only the reconcile can find this one, and it is still refused.
				assertThat(rows.isArchived(unindexed)).isFalse();
				assertThat(meters.counter("history.sweep.reindexed").count()).isZero();

				acl(writer, "+scan");
				await().atMost(Duration.ofSeconds(20)).until(() -> rows.isArchived(unindexed));
				rows.assertArchivedExactly(unindexed, "ended");
				assertThat(meters.counter("history.sweep.reindexed").count()).isGreaterThanOrEqualTo(1);
				assertThat(output.getAll().split("Reconcile failed", -1)).as("warnings for one outage").hasSize(2);
				assertThat(output.getAll()).contains("Reconcile works again");
			}
			finally {
				acl(writer, "+scan");
			}
		}
	}

	private static ConfigurableApplicationContext startWorker() {
		TestServers servers = TestServers.get();
		return Workers.start(servers.jdbcUrl(DATABASE), servers.username(), servers.password(), redis.url(), "sh",
				"history.sweep.interval=300ms", "history.sweep.reconcile-interval=500ms");
	}

	/** What the end script does, without the publish: an event lost in transit. */
	private static void endWithoutEvent(SessionWriter writer, Session session, boolean indexed) {
		long endedAt = System.currentTimeMillis();
		writer.redis().delete(writer.keys().live(session.code()));
		writer.redis()
			.opsForHash()
			.putAll(writer.keys().meta(session.code(), session.sid()), Map.of(SessionMeta.STATUS, SessionMeta.ENDED,
					SessionMeta.ENDED_AT, String.valueOf(endedAt), SessionMeta.END_REASON, SessionMeta.REASON_ENDED));
		if (indexed) {
			writer.redis().opsForZSet().add(writer.keys().due(), session.member(), endedAt);
		}
		else {
			writer.redis().opsForZSet().remove(writer.keys().due(), session.member());
		}
	}

	/** Grants or takes a command from the default user, the one the worker connects as. */
	private static void acl(SessionWriter writer, String rule) {
		writer.redis()
			.execute((RedisCallback<Object>) (connection) -> connection.execute("ACL", bytes("SETUSER"),
					bytes("default"), bytes(rule)));
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
