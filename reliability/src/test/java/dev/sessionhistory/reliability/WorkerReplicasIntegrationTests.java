package dev.sessionhistory.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 5: three worker replicas on one wave of 5,000 ending sessions. They all hear
 * every event and sweep the same index; the claims and the idempotent insert must leave
 * exactly 5,000 rows, and the replicas' own counters must add up to exactly that (no
 * session counted as archived twice). How evenly the work was shared is printed.
 */
@Tag("full")
class WorkerReplicasIntegrationTests {

	static final String SCENARIO = "s5-three-workers";

	static final int SESSIONS = 5000;

	private static Stack stack;

	@BeforeAll
	static void start() {
		Results.start(SCENARIO);
		stack = Stack.start(SCENARIO, Stack.Setup.standard().withWorkers(3));
	}

	@AfterAll
	static void stop() {
		Cleanup.closeAll();
	}

	@Test
	void threeWorkersArchiveAWaveOfFiveThousandSessionsExactlyOnce() {
		archiveAWaveExactlyOnce(stack, SCENARIO, "x");
	}

	/**
	 * A wave of {@value #SESSIONS} sessions (two in three expire after 1 s idle, one in three
	 * is ended explicitly) archived by the stack's workers: exactly that many rows, the
	 * workers' counters adding up to exactly that, every worker taking part.
	 * @return the ledger of the wave
	 */
	static Ledger archiveAWaveExactlyOnce(Stack stack, String scenario, String codePrefix) {
		Ledger ledger = new Ledger();
		Api api = stack.client();
		Traffic wave = Traffic.start(8, SESSIONS,
				(i) -> Clients.session(api, ledger, codePrefix + i, 1, 1, i % 3 == 0));
		wave.await(Duration.ofSeconds(240));
		int archived = stack.archive.awaitCount((n) -> n >= SESSIONS, Duration.ofSeconds(90));
		// Let late duplicates, if any, show up before counting.
		ServiceProcess.sleep(3000);

		List<Integer> shares = new ArrayList<>();
		for (ServiceProcess worker : stack.workers) {
			shares.add(Metrics.archived(worker));
		}
		int total = shares.stream().mapToInt(Integer::intValue).sum();
		System.out.printf(Locale.ROOT, "%s: archived per worker %s (%s of the wave)%n", scenario, shares,
				shares.stream().map((share) -> String.format(Locale.ROOT, "%.0f %%", 100.0 * share / SESSIONS)).toList());

		Verdict verdict = Verifier.verify(scenario, ledger, stack.archive.rows()).report();
		verdict.assertClean();
		assertThat(ledger.sessions()).hasSize(SESSIONS);
		assertThat(archived).isEqualTo(SESSIONS);
		assertThat(stack.archive.count()).as("rows after the wave settled").isEqualTo(SESSIONS);
		assertThat(total).as("sessions archived according to the workers' counters").isEqualTo(SESSIONS);
		assertThat(shares).as("every replica took part").allMatch((share) -> share > 0);
		return ledger;
	}

}
