package dev.sessionhistory.worker.sweep;

import java.time.Clock;
import java.time.Duration;

import dev.sessionhistory.worker.AbstractWorkerIntegrationTests;
import dev.sessionhistory.worker.SessionWriter.Session;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.awaitility.Awaitility.await;

/**
 * The worker tells the time by the application's {@link Clock}: with one an hour ahead, the
 * sweep finds due an ended instance that the system clock would see due only in half an hour.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE, properties = "history.sweep.interval=200ms")
class SweepClockIntegrationTests extends AbstractWorkerIntegrationTests {

	private static final Duration AHEAD = Duration.ofHours(1);

	@Test
	void theSweepReadsTheDueIndexAtTheTimeOfTheClockBean() {
		// An end whose event is lost, due in half an hour by the system clock. Created with an
		// idle TTL of two hours, so the sweep an hour ahead never finds it due before its end.
		Session session = writer().create("LATER", 7_200_000).append(2).endWithoutEvent(Duration.ofMinutes(30));

		await().atMost(Duration.ofSeconds(10)).until(() -> this.rows.isArchived(session));
		this.rows.assertArchivedExactly(session, "ended");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class AheadClock {

		@Bean
		Clock aheadClock() {
			return Clock.offset(Clock.systemUTC(), AHEAD);
		}

	}

}
