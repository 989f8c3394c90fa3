package dev.sessionhistory.worker.retention;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.sessionhistory.worker.AbstractWorkerIntegrationTests;
import dev.sessionhistory.worker.SessionWriter.Session;
import io.micrometer.core.instrument.search.Search;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retention with thousands of expired archives while a wave is archived: the wave is
 * archived exactly once and about as fast as the same wave with nothing to delete, every
 * expired archive goes and nothing else does. Retention runs at its default batch size.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE,
		properties = { "history.retention.archive=7d", "history.retention.interval=100ms" })
class RetentionDuringAWaveIntegrationTests extends AbstractWorkerIntegrationTests {

	private static final int WAVE = 1000;

	private static final int EXPIRED = 20_000;

	private static final int CHUNKS = 4;

	@Autowired
	private DataSource dataSource;

	@Test
	void aWaveArchivedWhileRetentionDeletesThousandsOfArchivesTakesAboutAsLongAsWithout() {
		OldArchives old = new OldArchives(this.dataSource);
		Instant now = Instant.now();
		List<Session> warmUp = wave("WARM", WAVE / 4);
		archive(warmUp);
		List<Session> alone = wave("ALONE", WAVE);
		long aloneMillis = archive(alone);

		List<UUID> kept = old.insert("KEPT", 500, now.minus(6, ChronoUnit.DAYS), CHUNKS);
		List<Session> during = wave("DURING", WAVE);
		List<UUID> expired = old.insert("EXPIRED", EXPIRED, now.minus(30, ChronoUnit.DAYS), CHUNKS);
		double deletedAtStart = deleted();
		long duringMillis = archive(during);
		double deletedAtEnd = deleted();
		await().atMost(Duration.ofSeconds(20)).until(() -> old.archives(expired) == 0);
		System.out.printf("Wave of %d archived in %d ms alone, in %d ms while retention deleted %.0f of %d expired "
				+ "archives (%.0f before the wave began)%n", WAVE, aloneMillis, duringMillis,
				deletedAtEnd - deletedAtStart, EXPIRED, deletedAtStart);

		List<Session> waves = new ArrayList<>(warmUp);
		waves.addAll(alone);
		waves.addAll(during);
		this.rows.assertAllArchivedExactly(waves);
		assertThat(archivedByTheWorker()).isEqualTo(waves.size());
		assertThat(old.chunks(expired) + old.participants(expired)).isZero();
		assertThat(old.archives(kept)).isEqualTo(500);
		assertThat(old.chunks(kept)).isEqualTo(500 * CHUNKS);
		assertThat(old.participants(kept)).isEqualTo(500 * 2);
		assertThat(this.meters.counter("history.retention.deleted").count()).isEqualTo(EXPIRED);
		assertThat(this.meters.counter("history.retention.failures").count()).isZero();
		// Retention was deleting while the wave was archived, and the wave did not wait for it.
		assertThat(deletedAtStart).as("deleted before the wave began").isLessThan(EXPIRED);
		assertThat(deletedAtEnd).as("deleted by the end of the wave").isGreaterThan(deletedAtStart);
		assertThat(duringMillis).as("ms to archive the wave beside retention, %d ms alone", aloneMillis)
			.isLessThan(2 * aloneMillis);
	}

	/** Live sessions of a few messages each. */
	private List<Session> wave(String code, int count) {
		List<Session> sessions = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			sessions.add(writer().create(code + i, 3_600_000).append(1 + i % 6));
		}
		return sessions;
	}

	/** Ends the sessions at once and waits until all are archived: how long that took. */
	private long archive(List<Session> sessions) {
		long started = System.nanoTime();
		sessions.forEach(Session::end);
		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> this.rows.count(sessions) == sessions.size());
		return Duration.ofNanos(System.nanoTime() - started).toMillis();
	}

	private double deleted() {
		return this.meters.counter("history.retention.deleted").count();
	}

	private double archivedByTheWorker() {
		return Search.in(this.meters)
			.name("history.archive.sessions")
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
	}

}
