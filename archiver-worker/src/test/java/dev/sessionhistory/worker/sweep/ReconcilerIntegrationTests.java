package dev.sessionhistory.worker.sweep;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.sessionhistory.worker.ArchiveRows;
import dev.sessionhistory.worker.SessionWriter;
import dev.sessionhistory.worker.SessionWriter.Session;
import dev.sessionhistory.worker.WorkerServers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

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

	@RegisterExtension
	static final WorkerServers servers = WorkerServers.ownRedis();

	private final ArchiveRows rows = servers.rows();

	private final SessionWriter writer = servers.writer();

	@Test
	void aPendingInstanceMissingFromTheDueIndexIsReindexedAndArchived() {
		try (ConfigurableApplicationContext worker = startWorker()) {
			Session unindexed = this.writer.create("UNINDEXED", 3_600_000).append(3).endUnindexed();
			assertThat(this.writer.redis().opsForZSet().score(this.writer.keys().due(unindexed.code()), unindexed.member())).isNull();

			await().atMost(Duration.ofSeconds(20)).until(() -> this.rows.isArchived(unindexed));
			this.rows.assertArchivedExactly(unindexed, "ended");
			MeterRegistry meters = worker.getBean(MeterRegistry.class);
			assertThat(meters.counter("history.sweep.reindexed").count()).isGreaterThanOrEqualTo(1);
			assertThat(meters.counter("history.sweep.reconcile.passes").count()).isGreaterThanOrEqualTo(1);
		}
	}

	@Test
	void theSweepKeepsArchivingWhileReconcileStepsFailAndReconcileResumesAfterwards(CapturedOutput output) {
		acl("-scan");
		try (ConfigurableApplicationContext worker = startWorker()) {
			MeterRegistry meters = worker.getBean(MeterRegistry.class);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> meters.counter("history.sweep.reconcile.failures").count() >= 3);

			Session unindexed = this.writer.create("MISSED", 3_600_000).append(2).endUnindexed();
			List<Session> indexed = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				indexed.add(this.writer.create("SWEPT" + i, 3_600_000).append(1 + i % 3).endWithoutEvent(Duration.ZERO));
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> indexed.stream().allMatch(this.rows::isArchived));
			this.rows.assertAllArchivedExactly(indexed);
			// Only the reconcile can find this one, and it is still refused.
			assertThat(this.rows.isArchived(unindexed)).isFalse();
			assertThat(meters.counter("history.sweep.reindexed").count()).isZero();

			acl("+scan");
			await().atMost(Duration.ofSeconds(20)).until(() -> this.rows.isArchived(unindexed));
			this.rows.assertArchivedExactly(unindexed, "ended");
			assertThat(meters.counter("history.sweep.reindexed").count()).isGreaterThanOrEqualTo(1);
			assertThat(output.getAll().split("Reconcile failed", -1)).as("warnings for one outage").hasSize(2);
			assertThat(output.getAll()).contains("Reconcile works again");
		}
		finally {
			acl("+scan");
		}
	}

	private static ConfigurableApplicationContext startWorker() {
		return servers.startWorker("history.sweep.interval=300ms", "history.sweep.reconcile-interval=500ms");
	}

	/** Grants or takes a command from the default user, the one the worker connects as. */
	private void acl(String rule) {
		this.writer.redis()
			.execute((RedisCallback<Object>) (connection) -> connection.execute("ACL", bytes("SETUSER"),
					bytes("default"), bytes(rule)));
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
