package dev.sessionhistory.reliability;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 7: appends racing the end. Sessions with a 1 s idle TTL get appends at random
 * gaps of 0 to 1.4 s, so some gap outlives the TTL and the session expires between two
 * appends; a third of them are also ended explicitly at a random moment while appends are
 * in flight. Every acknowledged append must be archived; once a client has been told the
 * session ended (409), no later append of it may be acknowledged.
 */
class EndRaceIntegrationTests {

	static final String SCENARIO = "s7-appends-racing-the-end";

	static final int SESSIONS = 150;

	static final int MAX_APPENDS = 40;

	private static Stack stack;

	private static ScheduledExecutorService enders;

	@BeforeAll
	static void start() {
		Results.start(SCENARIO);
		stack = Stack.start(SCENARIO, Stack.Setup.standard());
		enders = Executors.newScheduledThreadPool(4, (runnable) -> {
			Thread thread = new Thread(runnable, "ender");
			thread.setDaemon(true);
			return thread;
		});
	}

	@AfterAll
	static void stop() {
		if (enders != null) {
			enders.shutdownNow();
		}
		Cleanup.closeAll();
	}

	@Test
	void everyAcknowledgedAppendIsArchivedAndNoneIsAcceptedAfterTheEnd() {
		Ledger ledger = new Ledger();
		Api api = stack.client();
		AtomicInteger refusedAfterEnd = new AtomicInteger();
		long seed = System.nanoTime();
		System.out.printf("%s: random seed %d%n", SCENARIO, seed);
		Traffic traffic = Traffic.start(30, SESSIONS, (s) -> {
			Random random = new Random(seed + s);
			String code = "e" + s;
			if (!Clients.create(api, ledger, code, 1)) {
				return;
			}
			if (s % 3 == 0) {
				enders.schedule(() -> Clients.end(api, ledger, code), 200 + random.nextInt(3000), TimeUnit.MILLISECONDS);
			}
			boolean ended = false;
			for (int m = 1; m <= MAX_APPENDS; m++) {
				Api.Reply reply = Clients.append(api, ledger, code, code + "-m" + m, Payloads.data(m));
				if (reply.is(409) || reply.is(404)) {
					refusedAfterEnd.incrementAndGet();
					ledger.fault();
					if (ended) {
						break;
					}
					ended = true;
				}
				else if (ended) {
					ledger.problem(code + " " + code + "-m" + m + " answered " + reply + " after a 409 for the session");
				}
				else if (!reply.is(201)) {
					ledger.problem(code + " " + code + "-m" + m + " answered " + reply);
				}
				ServiceProcess.sleep(ended ? 50 : random.nextInt(1400));
			}
		});
		traffic.await(Duration.ofSeconds(180));
		int archived = stack.archive.awaitCount((n) -> n >= SESSIONS, Duration.ofSeconds(60));
		System.out.printf("%s: %d appends refused after the end%n", SCENARIO, refusedAfterEnd.get());

		Verdict verdict = Verifier.verify(SCENARIO, ledger, stack.archive.rows()).report();
		verdict.assertClean();
		assertThat(ledger.sessions()).hasSize(SESSIONS);
		assertThat(archived).isEqualTo(SESSIONS);
		assertThat(refusedAfterEnd.get()).as("appends refused after the end").isPositive();
	}

}
