package dev.sessionhistory.worker.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import dev.sessionhistory.worker.AbstractWorkerIntegrationTests;
import dev.sessionhistory.worker.SessionWriter.Session;
import dev.sessionhistory.worker.retention.RetentionTable.Deleted;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Retention's statements, called directly, on a worker without
 * {@code history.retention.archive}: the default keeps every archive forever.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE, properties = "history.retention.interval=100ms")
class RetentionTableIntegrationTests extends AbstractWorkerIntegrationTests {

	private static final Instant BOUND = Instant.now().minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS);

	@Autowired
	private RetentionTable table;

	@Autowired
	private DataSource dataSource;

	private OldArchives old;

	@BeforeEach
	void emptyArchive() {
		new JdbcTemplate(this.dataSource).update("DELETE FROM session_history");
		this.old = new OldArchives(this.dataSource);
	}

	@Test
	void deletesExactlyTheArchivesEndedBeforeTheBoundWithTheirChunksAndParticipants() {
		List<UUID> before = this.old.insert("BEFORE", 3, BOUND.minus(1, ChronoUnit.MICROS), 2);
		List<UUID> at = this.old.insert("AT", 3, BOUND, 2);
		List<UUID> after = this.old.insert("AFTER", 3, BOUND.plus(1, ChronoUnit.MICROS), 2);

		assertThat(this.table.deleteEndedBefore(BOUND, 500)).isEqualTo(new Deleted(3, 3 * OldArchives.BYTES));

		assertThat(this.old.archives(before)).isZero();
		assertThat(this.old.chunks(before)).isZero();
		assertThat(this.old.participants(before)).isZero();
		for (List<UUID> kept : List.of(at, after)) {
			assertThat(this.old.archives(kept)).isEqualTo(3);
			assertThat(this.old.chunks(kept)).isEqualTo(6);
			assertThat(this.old.participants(kept)).isEqualTo(6);
		}
		assertThat(this.table.oldestEndedAt()).contains(BOUND);
		assertThat(this.table.deleteEndedBefore(BOUND, 500)).isEqualTo(new Deleted(0, 0));
	}

	@Test
	void aBatchDeletesAtMostItsLimitOldestFirst() {
		List<UUID> oldest = this.old.insert("OLDEST", 2, BOUND.minus(3, ChronoUnit.HOURS), 1);
		List<UUID> older = this.old.insert("OLDER", 2, BOUND.minus(2, ChronoUnit.HOURS), 1);
		List<UUID> old = this.old.insert("OLD", 2, BOUND.minus(1, ChronoUnit.HOURS), 1);

		assertThat(this.table.deleteEndedBefore(BOUND, 3).archives()).isEqualTo(3);

		assertThat(this.old.archives(oldest)).isZero();
		assertThat(this.old.archives(older)).isEqualTo(1);
		assertThat(this.old.archives(old)).isEqualTo(2);
		assertThat(this.table.oldestEndedAt()).contains(BOUND.minus(2, ChronoUnit.HOURS));
	}

	@Test
	void aBatchSkipsAnArchiveAnotherTransactionHoldsInsteadOfWaitingForIt() throws Exception {
		List<UUID> expired = this.old.insert("HELD", 10, BOUND.minus(1, ChronoUnit.DAYS), 1);
		try (Connection erasure = this.dataSource.getConnection()) {
			// An erasure rewriting one of them holds its row until it commits.
			erasure.setAutoCommit(false);
			try (PreparedStatement update = erasure
				.prepareStatement("UPDATE session_history SET revision = revision + 1 WHERE session_id = ?")) {
				update.setObject(1, expired.get(0));
				assertThat(update.executeUpdate()).isEqualTo(1);
			}
			long started = System.nanoTime();
			Deleted deleted = this.table.deleteEndedBefore(BOUND, 500);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(900));
			assertThat(deleted.archives()).isEqualTo(9);
			assertThat(this.old.archives(expired)).isEqualTo(1);
			erasure.commit();
		}
		assertThat(this.table.deleteEndedBefore(BOUND, 500).archives()).isEqualTo(1);
		assertThat(this.old.archives(expired)).isZero();
	}

	@Test
	void aBatchThatMeetsALockedChunkGivesUpAfterTheLockTimeoutDeletingNothing() throws Exception {
		List<UUID> expired = this.old.insert("CHUNK", 10, BOUND.minus(1, ChronoUnit.DAYS), 1);
		try (Connection erasure = this.dataSource.getConnection()) {
			// An erasure rewriting a chunk, its archive row not locked: the cascade would wait for it.
			erasure.setAutoCommit(false);
			try (PreparedStatement update = erasure
				.prepareStatement("UPDATE session_history_chunk SET last_seq = last_seq WHERE session_id = ?")) {
				update.setObject(1, expired.get(0));
				assertThat(update.executeUpdate()).isEqualTo(1);
			}
			long started = System.nanoTime();
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> this.table.deleteEndedBefore(BOUND, 500))
				.withMessageContaining("lock timeout");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
			assertThat(this.old.archives(expired)).isEqualTo(10);
			erasure.rollback();
		}
		assertThat(this.table.deleteEndedBefore(BOUND, 500).archives()).isEqualTo(10);
	}

	@Test
	void concurrentBatchesDeleteEachArchiveOnceAndNeverFail() {
		List<UUID> expired = this.old.insert("RACE", 2000, BOUND.minus(1, ChronoUnit.DAYS), 1);

		CompletableFuture<Long> first = CompletableFuture.supplyAsync(this::deleteUntilNoneLeft);
		CompletableFuture<Long> second = CompletableFuture.supplyAsync(this::deleteUntilNoneLeft);

		assertThat(first.join() + second.join()).isEqualTo(2000);
		assertThat(this.old.archives(expired)).isZero();
		assertThat(this.old.chunks(expired)).isZero();
	}

	@Test
	void withoutARetentionSettingTheWorkerDeletesNothing() {
		List<UUID> ancient = this.old.insert("ANCIENT", 50, Instant.parse("2000-01-01T00:00:00Z"), 1);
		Session session = writer().create("FRESH", 3_600_000).append(2).end();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.rows.isArchived(session));

		// With retention on, ten runs would have come and gone.
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(2))
			.until(() -> this.old.archives(ancient) == 50 && this.rows.isArchived(session));
		assertThat(this.meters.counter("history.retention.deleted").count()).isZero();
	}

	private long deleteUntilNoneLeft() {
		long deleted = 0;
		long batch;
		do {
			batch = this.table.deleteEndedBefore(BOUND, 50).archives();
			deleted += batch;
		}
		while (batch > 0);
		return deleted;
	}

}
