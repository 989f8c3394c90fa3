package dev.sessionhistory.api.gallery;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OverviewTests {

	private static final Instant NOW = Instant.parse("2026-03-01T10:00:00.250Z");

	@Test
	void theArchiveLagIsTheAgeOfTheOldestWaitingSessionsEnd() {
		Overview overview = Overview.of(NOW, List.of(),
				new RedisBacklog.Backlog(4, 2, Instant.parse("2026-03-01T09:58:30.000Z")), 1.5);

		assertThat(overview.generatedAt()).isEqualTo("2026-03-01T10:00:00.250Z");
		assertThat(overview.oldestWaitingSince()).isEqualTo("2026-03-01T09:58:30.000Z");
		assertThat(overview.archiveLagSeconds()).isEqualTo(90.25);
		assertThat(overview.live()).isEqualTo(4);
		assertThat(overview.waiting()).isEqualTo(2);
		assertThat(overview.recentLagSeconds()).isEqualTo(1.5);
	}

	@Test
	void withNothingWaitingTheLagIsZeroAndTheOldestNull() {
		Overview overview = Overview.of(NOW, List.of(), new RedisBacklog.Backlog(1, 0, null), null);

		assertThat(overview.oldestWaitingSince()).isNull();
		assertThat(overview.archiveLagSeconds()).isZero();
		assertThat(overview.recentLagSeconds()).isNull();
	}

	@Test
	void anEndAheadOfNowIsNoNegativeLag() {
		Overview overview = Overview.of(NOW, List.of(), new RedisBacklog.Backlog(0, 1, NOW.plusSeconds(5)), null);

		assertThat(overview.archiveLagSeconds()).isZero();
	}

}
