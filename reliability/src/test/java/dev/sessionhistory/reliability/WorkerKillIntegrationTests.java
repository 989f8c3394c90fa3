package dev.sessionhistory.reliability;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 1: the worker is killed with SIGKILL in the middle of a wave of 2,000 ending
 * sessions and started again 5 s later. Whatever it had claimed, inserted or not yet
 * purged when it died, each session ends up archived exactly once.
 * <p>
 * Long: runs with {@code -Pfull} only (see the module's README).
 */
@Tag("full")
class WorkerKillIntegrationTests {

	static final String SCENARIO = "s1-worker-sigkill";

	static final int SESSIONS = 2000;

	private static Stack stack;

	@BeforeAll
	static void start() {
		Results.start(SCENARIO);
		// A short claim TTL, so the sessions the dead worker had claimed come back within the budget.
		stack = Stack.start(SCENARIO, Stack.Setup.standard().withWorkerArgs("--history.archive.claim-ttl=10s"));
	}

	@AfterAll
	static void stop() {
		Cleanup.closeAll();
	}

	@Test
	void everySessionOfTheWaveIsArchivedExactlyOnceAcrossAWorkerKill() {
		Ledger ledger = new Ledger();
		Api api = stack.client();
		// Even sessions expire after 1 s of silence, odd ones are ended explicitly.
		Traffic wave = Traffic.start(8, SESSIONS,
				(i) -> Clients.session(api, ledger, "k" + i, (i % 2 == 0) ? 1 : 5, 1 + i % 3, i % 2 == 1));
		wave.awaitProgress(SESSIONS / 2, Duration.ofSeconds(90));
		stack.archive.awaitCount((n) -> n > 0, Duration.ofSeconds(30));

		stack.worker().kill();
		ledger.fault();
		int archivedAtKill = stack.archive.count();
		int sentAtKill = wave.done();
		ServiceProcess.sleep(5000);
		stack.worker().start().awaitReady();

		wave.await(Duration.ofSeconds(120));
		int archived = stack.archive.awaitCount((n) -> n >= ledger.sessions().size(), Duration.ofSeconds(90));
		System.out.printf("%s: killed the worker after %d of %d sessions were driven and %d archived%n", SCENARIO,
				sentAtKill, SESSIONS, archivedAtKill);

		Verdict verdict = Verifier.verify(SCENARIO, ledger, stack.archive.rows()).report();
		verdict.assertClean();
		assertThat(ledger.sessions()).hasSize(SESSIONS);
		assertThat(archivedAtKill).as("archived before the kill").isLessThan(SESSIONS);
		assertThat(archived).isEqualTo(SESSIONS);
	}

}
