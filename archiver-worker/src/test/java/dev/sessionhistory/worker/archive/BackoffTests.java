package dev.sessionhistory.worker.archive;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTests {

	private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(3));

	@Test
	void doublesWithEachFailureUpToTheMaximum() {
		assertThat(this.backoff.failed(0)).isEqualTo(500);
		assertThat(this.backoff.failed(0)).isEqualTo(1000);
		assertThat(this.backoff.failed(0)).isEqualTo(2000);
		assertThat(this.backoff.failed(0)).isEqualTo(3000);
		for (int i = 0; i < 100; i++) {
			this.backoff.failed(0);
		}
		assertThat(this.backoff.failed(0)).isEqualTo(3000);
	}

	@Test
	void waitsUntilTheRetryTimeAndResetsOnSuccess() {
		long retryAt = this.backoff.failed(1000);
		assertThat(this.backoff.waitingUntil(1200)).isEqualTo(retryAt);
		assertThat(this.backoff.waitingUntil(retryAt)).isZero();
		this.backoff.succeeded();
		assertThat(this.backoff.waitingUntil(1200)).isZero();
		assertThat(this.backoff.failed(0)).isEqualTo(500);
	}

}
