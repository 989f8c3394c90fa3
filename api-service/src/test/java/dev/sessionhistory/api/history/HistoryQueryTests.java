package dev.sessionhistory.api.history;

import dev.sessionhistory.api.system.InvalidRequestException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class HistoryQueryTests {

	@Test
	void latestIsTheLastPage() {
		assertThat(HistoryQuery.of(null, null, null)).isEqualTo(new HistoryQuery("latest", 0, 100));
		assertThat(HistoryQuery.of("10", null, null).bounds(25)).isEqualTo(new HistoryQuery.Bounds(15, 25, true));
		assertThat(HistoryQuery.of("30", null, null).bounds(25)).isEqualTo(new HistoryQuery.Bounds(0, 25, false));
		assertThat(HistoryQuery.of(null, null, null).bounds(0)).isEqualTo(new HistoryQuery.Bounds(0, 0, false));
	}

	@Test
	void afterPagesForward() {
		assertThat(HistoryQuery.of("10", null, "5").bounds(25)).isEqualTo(new HistoryQuery.Bounds(5, 15, true));
		assertThat(HistoryQuery.of("10", null, "20").bounds(25)).isEqualTo(new HistoryQuery.Bounds(20, 25, false));
		HistoryQuery.Bounds beyond = HistoryQuery.of("10", null, "30").bounds(25);
		assertThat(beyond.size()).isZero();
		assertThat(beyond.hasMore()).isFalse();
	}

	@Test
	void beforePagesBackward() {
		assertThat(HistoryQuery.of("4", "10", null).bounds(25)).isEqualTo(new HistoryQuery.Bounds(5, 9, true));
		assertThat(HistoryQuery.of("10", "5", null).bounds(25)).isEqualTo(new HistoryQuery.Bounds(0, 4, false));
		assertThat(HistoryQuery.of("3", "100", null).bounds(25)).isEqualTo(new HistoryQuery.Bounds(22, 25, true));
		assertThat(HistoryQuery.of("3", "0", null).bounds(25).size()).isZero();
		assertThat(HistoryQuery.of("3", "1", null).bounds(25).size()).isZero();
	}

	@Test
	void hugeCursorsAreClampedNotOverflowed() {
		HistoryQuery.Bounds bounds = HistoryQuery.of("1000", null, "999999999999999999").bounds(25);
		assertThat(bounds.size()).isZero();
		assertThat(bounds.hasMore()).isFalse();
	}

	@Test
	void refusesMalformedParameters() {
		for (String[] query : new String[][] { { "0", null, null }, { "1001", null, null }, { "x", null, null },
				{ "", null, null }, { null, "-1", null }, { null, null, "+1" }, { null, "1.0", null },
				{ null, "1", "2" }, { null, null, "9999999999999999999" } }) {
			assertThatExceptionOfType(InvalidRequestException.class)
				.isThrownBy(() -> HistoryQuery.of(query[0], query[1], query[2]));
		}
	}

}
