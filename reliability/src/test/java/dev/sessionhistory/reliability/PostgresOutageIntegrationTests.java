package dev.sessionhistory.reliability;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 2: PostgreSQL is stopped in immediate mode (connections cut, no clean shutdown)
 * in the middle of a wave and started again 10 s later. Sessions keep ending meanwhile;
 * the worker keeps their data in Redis, retries, and archives each exactly once when the
 * database is back. The API keeps taking messages: appends need only Redis.
 * <p>
 * Long: runs with {@code -Pfull} only (see the module's README).
 */
@Tag("full")
class PostgresOutageIntegrationTests {

	static final String SCENARIO = "s2-postgres-outage";

	static final int SESSIONS = 1000;

	private static Stack stack;

	@BeforeAll
	static void start() {
		Results.start(SCENARIO);
		stack = Stack.start(SCENARIO, Stack.Setup.standard());
	}

	@AfterAll
	static void stop() {
		Cleanup.closeAll();
	}

	@Test
	void sessionsThatEndWhileTheDatabaseIsDownAreArchivedExactlyOnceWhenItIsBack() {
		Ledger ledger = new Ledger();
		Api api = stack.client();
		// Four client threads and a pause per session stretch the wave over the outage.
		Traffic wave = Traffic.start(4, SESSIONS, (i) -> {
			Clients.session(api, ledger, "p" + i, (i % 2 == 0) ? 1 : 5, 1 + i % 3, i % 2 == 1);
			ServiceProcess.sleep(40);
		});
		wave.awaitProgress(SESSIONS / 4, Duration.ofSeconds(90));
		stack.archive.awaitCount((n) -> n > 0, Duration.ofSeconds(30));

		stack.postgres.stop();
		ledger.fault();
		int createdAtStop = ledger.sessions().size();
		ServiceProcess.sleep(10_000);
		int createdDuringOutage = ledger.sessions().size() - createdAtStop;
		boolean workerSurvived = stack.worker().isAlive();
		stack.postgres.restart();

		wave.await(Duration.ofSeconds(120));
		int archived = stack.archive.awaitCount((n) -> n >= ledger.sessions().size(), Duration.ofSeconds(90));
		System.out.printf("%s: %d sessions created while PostgreSQL was down%n", SCENARIO, createdDuringOutage);

		Verdict verdict = Verifier.verify(SCENARIO, ledger, stack.archive.rows()).report();
		verdict.assertClean();
		assertThat(workerSurvived).as("the worker process survives the outage").isTrue();
		assertThat(createdDuringOutage).as("sessions created while PostgreSQL was down").isPositive();
		assertThat(ledger.sessions()).hasSize(SESSIONS);
		assertThat(archived).isEqualTo(SESSIONS);
	}

}
