package dev.sessionhistory.worker.archive;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.sessionhistory.model.MessageJson;
import dev.sessionhistory.model.Tombstones;
import dev.sessionhistory.worker.ArchiveRows;
import dev.sessionhistory.worker.SessionWriter;
import dev.sessionhistory.worker.SessionWriter.Session;
import dev.sessionhistory.worker.WorkerServers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An erased instance is never archived: not by a worker that starts after the erasure,
 * and not by one that holds it while it is erased. The erasure is made here as the API
 * makes it ({@link ArchiveRows#erase}): under the instance's advisory lock, the log row,
 * then the delete.
 */
class ErasureIntegrationTests {

	@RegisterExtension
	static final WorkerServers servers = WorkerServers.shared();

	private final ArchiveRows rows = servers.rows();

	@Test
	void anInstanceErasedWhileTheWorkerWasDownIsNeverArchivedAndItsRedisDataGoes() {
		SessionWriter writer = servers.writer();
		// The API's erasure deletes the Redis data too; this one leaves it, as an erasure
		// whose Redis step failed would, so the worker must refuse it by the log alone.
		Session erased = writer.create("ERASEDOWN", 3_600_000).append(5).end();
		List<Session> others = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			others.add(writer.create("KEPTDOWN" + i, 3_600_000).append(2).end());
		}
		assertThat(this.rows.erase(erased.code(), erased.sid())).isZero();

		try (ConfigurableApplicationContext worker = servers.startWorker()) {
			await().atMost(Duration.ofSeconds(30)).until(() -> this.rows.count(others) == others.size());
			await().atMost(Duration.ofSeconds(10)).until(() -> !erased.inRedis());
			this.rows.assertAllArchivedExactly(others);
			assertThat(this.rows.count(erased.sid())).isZero();
			MeterRegistry meters = worker.getBean(MeterRegistry.class);
			assertThat(meters.counter("history.archive.erased").count()).isEqualTo(1);
			assertThat(meters.counter("history.archive.failures", "reason", "conflict").count()).isZero();
		}
	}

	@Test
	void anErasureWhileTheWorkerHoldsTheInstanceWaitsForItsCommitAndDeletesTheRow() throws Exception {
		SessionWriter writer = servers.writer();
		// Large enough to be written alone, window by window, in one long transaction.
		Session large = writer.create("ERASERACE", 3_600_000);
		String text = "x".repeat(4_000);
		for (int i = 0; i < 5_000; i++) {
			String id = "m" + i;
			large.append(id, MessageJson.unsequenced(id, Instant.now(), "u", "chat", "{\"text\":\"" + text + "\"}"));
		}
		try (ConfigurableApplicationContext worker = servers.startWorker()) {
			large.end();
			// The worker holds the claim and the instance's lock, its row not yet committed.
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(2))
				.until(() -> this.rows.archiveLockTaken(large.sid()));
			assertThat(this.rows.count(large.sid())).isZero();

			CompletableFuture<Integer> erasure = CompletableFuture
				.supplyAsync(() -> this.rows.erase(large.code(), large.sid()));
			// The erasure waited for the commit and deleted the committed row: nothing is left.
			assertThat(erasure.get()).isEqualTo(1);
			assertThat(this.rows.count(large.sid())).isZero();
			await().atMost(Duration.ofSeconds(10)).until(() -> !large.inRedis());
			assertThat(this.rows.count(large.sid())).isZero();
		}
	}

	@Test
	void anInstanceErasedBeforeTheWorkerReachesItIsNotArchivedAgainOnAnotherAttempt() {
		SessionWriter writer = servers.writer();
		try (ConfigurableApplicationContext worker = servers.startWorker()) {
			Session archived = writer.create("ERASEAFTER", 3_600_000).append(3).end();
			await().atMost(Duration.ofSeconds(30)).until(() -> this.rows.isArchived(archived));
			assertThat(this.rows.erase(archived.code(), archived.sid())).isEqualTo(1);
			// A foreign writer (or a restored Redis backup) brings the instance's data back:
			// the log still keeps it out of the archive.
			Session again = writer.restore(archived).end();
			await().atMost(Duration.ofSeconds(10)).until(() -> !again.inRedis());
			assertThat(this.rows.count(archived.sid())).isZero();
		}
	}

	@Test
	void aUsersErasureKeepsTheirOwnSessionsOutOfTheArchiveAndTheirMessagesAsTombstones() {
		SessionWriter writer = servers.writer();
		String erased = "erased-" + java.util.UUID.randomUUID();
		String kept = "kept-" + java.util.UUID.randomUUID();
		Session owned = writer.create("USEROWNED", 3_600_000, erased);
		owned.appendAs(erased, "o1", body("o1"));
		Session joined = writer.create("USERJOINED", 3_600_000, kept);
		String first = joined.appendAs(kept, "k1", body("k1"));
		joined.appendAs(erased, "e1", body("e1"));
		String third = joined.appendAs(kept, "k2", body("k2"));
		joined.appendAs(erased, "e2", body("e2"));
		// An erasure before an instance was created is of someone who used the id before:
		// the owner of these, erased a day ago, keeps what they wrote since.
		Session later = writer.create("USERLATER", 3_600_000, kept);
		String own = later.appendAs(kept, "l1", body("l1"));
		this.rows.eraseUser(erased, Duration.ZERO);
		this.rows.eraseUser(kept, Duration.ofDays(1));
		owned.end();
		joined.end();
		later.end();

		try (ConfigurableApplicationContext worker = servers.startWorker()) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.rows.isArchived(joined) && this.rows.isArchived(later) && !owned.inRedis());
			assertThat(this.rows.count(owned.sid())).isZero();
			assertThat(this.rows.messages(joined.sid())).containsExactly(first, Tombstones.of(2), third,
					Tombstones.of(4));
			assertThat(this.rows.users(joined.sid())).containsExactly(kept + " owner read,append,end");
			assertThat(this.rows.row(joined.sid())).containsEntry("message_count", 4);
			assertThat(this.rows.messages(later.sid())).containsExactly(own);
			assertThat(worker.getBean(MeterRegistry.class).counter("history.archive.erased").count()).isEqualTo(1);
		}
	}

	private static String body(String id) {
		return MessageJson.unsequenced(id, Instant.now(), "s", "chat", "{\"text\":\"" + id + "\"}");
	}

}
