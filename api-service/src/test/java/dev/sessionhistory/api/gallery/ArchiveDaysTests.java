package dev.sessionhistory.api.gallery;

import java.time.LocalDate;
import java.util.List;

import dev.sessionhistory.api.archive.ArchiveActivity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ArchiveDaysTests {

	@Test
	void everyDayFromFirstToLastIsThereOldestFirstAndDaysWithoutArchivesHaveNothing() {
		LocalDate today = LocalDate.parse("2026-03-01");
		List<Overview.Day> days = ArchiveDays.fill(today.minusDays(ArchiveDays.DAYS - 1), today,
				List.of(new ArchiveActivity.Day(LocalDate.parse("2026-01-31"), 2, 9),
						new ArchiveActivity.Day(LocalDate.parse("2026-02-28"), 1, 4),
						new ArchiveActivity.Day(today, 3, 0)));

		assertThat(days).hasSize(30);
		assertThat(days.get(0)).isEqualTo(new Overview.Day("2026-01-31", 2, 9));
		assertThat(days.get(1)).isEqualTo(new Overview.Day("2026-02-01", 0, 0));
		assertThat(days.get(28)).isEqualTo(new Overview.Day("2026-02-28", 1, 4));
		assertThat(days.get(29)).isEqualTo(new Overview.Day("2026-03-01", 3, 0));
		assertThat(days.subList(1, 28)).allSatisfy((day) -> assertThat(day.sessions() + day.messages()).isZero());
	}

	@Test
	void archivesOutsideTheDaysAreNotCounted() {
		LocalDate today = LocalDate.parse("2026-03-01");
		List<Overview.Day> days = ArchiveDays.fill(today.minusDays(1), today,
				List.of(new ArchiveActivity.Day(today.minusDays(2), 5, 5), new ArchiveActivity.Day(today.plusDays(1), 7, 7)));

		assertThat(days).containsExactly(new Overview.Day("2026-02-28", 0, 0), new Overview.Day("2026-03-01", 0, 0));
	}

}
