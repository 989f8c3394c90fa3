package dev.sessionhistory.worker.retention;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.sessionhistory.worker.AbstractWorkerIntegrationTests;
import dev.sessionhistory.worker.SessionWriter.Session;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * A worker keeping archives for 7 days deletes those whose session ended earlier, in
 * batches of 7, and counts what it deleted.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE, properties = { "history.retention.archive=7d",
		"history.retention.interval=100ms", "history.retention.batch-size=7" })
class RetentionIntegrationTests extends AbstractWorkerIntegrationTests {

	@Autowired
	private DataSource dataSource;

	@Test
	void archivesEndedLongerAgoThanTheRetentionGoWithTheirChunksAndParticipantsAndTheOthersStay() {
		OldArchives old = new OldArchives(this.dataSource);
		Instant now = Instant.now();
		List<UUID> expired = old.insert("EXPIRED", 40, now.minus(8, ChronoUnit.DAYS), 3);
		List<UUID> justExpired = old.insert("JUSTEXP", 5, now.minus(7, ChronoUnit.DAYS).minusSeconds(60), 3);
		List<UUID> justKept = old.insert("JUSTKEPT", 5, now.minus(7, ChronoUnit.DAYS).plusSeconds(60), 3);
		List<UUID> kept = old.insert("KEPT", 40, now.minus(6, ChronoUnit.DAYS), 3);
		Session fresh = writer().create("FRESH", 3_600_000).append(3).end();

		await().atMost(Duration.ofSeconds(10))
			.until(() -> old.archives(expired) == 0 && old.archives(justExpired) == 0 && this.rows.isArchived(fresh));

		assertThat(old.chunks(expired) + old.chunks(justExpired)).isZero();
		assertThat(old.participants(expired) + old.participants(justExpired)).isZero();
		assertThat(old.archives(justKept) + old.archives(kept)).isEqualTo(45);
		assertThat(old.chunks(justKept) + old.chunks(kept)).isEqualTo(45 * 3);
		assertThat(old.participants(justKept) + old.participants(kept)).isEqualTo(45 * 2);
		this.rows.assertArchivedExactly(fresh, "ended");
		assertThat(this.meters.counter("history.retention.deleted").count()).isEqualTo(45);
		assertThat(this.meters.counter("history.retention.deleted.bytes").count()).isEqualTo(45 * OldArchives.BYTES);
		assertThat(this.meters.counter("history.retention.failures").count()).isZero();
		// The oldest kept ended a minute short of 7 days ago.
		double justUnderSevenDays = Duration.ofDays(7).minusSeconds(60).toSeconds();
		await().atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(this.meters.get("history.retention.oldest.age").gauge().value())
				.isCloseTo(justUnderSevenDays, within(30.0)));
	}

}
