package dev.sessionhistory.worker.sweep;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReconcilePassTests {

	private static final long MINUTES_5 = Duration.ofMinutes(5).toMillis();

	@Test
	void theStepsOfAPassAreSpreadEvenlyOverTheInterval() {
		// 10 million keys, batch 1000: 10000 steps in 5 minutes, one every 30 ms.
		assertThat(ReconcilePass.pause(0, MINUTES_5, 10_000, 1, 30)).isEqualTo(Duration.ofMillis(30));
		assertThat(ReconcilePass.pause(0, MINUTES_5, 10_000, 5_000, 150_000)).isEqualTo(Duration.ofMillis(30));
		// A late pass catches up by spacing the steps left more closely.
		assertThat(ReconcilePass.pause(0, MINUTES_5, 10_000, 5_000, 200_000)).isEqualTo(Duration.ofMillis(20));
	}

	@Test
	void stepsAreNeverCloserThanTheMinimumPause() {
		// 100 million keys do not fit in 5 minutes at batch 1000: the pass takes longer.
		assertThat(ReconcilePass.pause(0, MINUTES_5, 100_000, 1, 1)).isEqualTo(ReconcilePass.MIN_PAUSE);
		assertThat(ReconcilePass.pause(0, MINUTES_5, 10, 3, MINUTES_5 + 1)).isEqualTo(ReconcilePass.MIN_PAUSE);
		// More steps than DBSIZE suggested (a huge pending set read a page at a time).
		assertThat(ReconcilePass.pause(0, MINUTES_5, 10, 12, 1000)).isEqualTo(ReconcilePass.MIN_PAUSE);
	}

}
