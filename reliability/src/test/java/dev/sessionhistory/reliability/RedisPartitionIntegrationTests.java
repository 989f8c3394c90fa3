package dev.sessionhistory.reliability;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 4: the worker's link to Redis is cut for 10 s (a TCP proxy between them resets
 * every connection and refuses new ones) while sessions expire and are ended. Keyspace
 * events and end notifications are fire-and-forget pub/sub: whatever was published in that
 * window never reaches the worker. The sweep of the {@code due} index must catch every one
 * of those sessions once the link is back.
 * <p>
 * Long: runs with {@code -Pfull} only (see the module's README).
 */
@Tag("full")
class RedisPartitionIntegrationTests {

	static final String SCENARIO = "s4-worker-redis-cut";

	static final int WARM_UP = 20;

	static final int SESSIONS = 400;

	/** The shortest cut; it lasts longer if the wave needs it to, so every session ends inside it. */
	static final Duration CUT = Duration.ofSeconds(10);

	private static Stack stack;

	@BeforeAll
	static void start() {
		Results.start(SCENARIO);
		stack = Stack.start(SCENARIO, Stack.Setup.standard().withProxiedWorkers());
	}

	@AfterAll
	static void stop() {
		Cleanup.closeAll();
	}

	@Test
	void theSweepArchivesEverySessionThatEndedWhileTheWorkerWasCutOffFromRedis() {
		Ledger ledger = new Ledger();
		Api api = stack.client();
		// Warm-up through the proxy: proves the link works before it is cut.
		Traffic warmUp = Traffic.start(4, WARM_UP, (i) -> Clients.session(api, ledger, "w" + i, 1, 1, true));
		warmUp.await(Duration.ofSeconds(60));
		assertThat(stack.archive.awaitCount((n) -> n >= WARM_UP, Duration.ofSeconds(60))).isEqualTo(WARM_UP);
		int sweptBefore = Metrics.archivedBy(stack.worker(), "sweep");

		stack.workerRedisProxy.cut();
		ledger.fault();
		long cutAt = System.nanoTime();
		// Every session ends inside the window: half expire after 1 s idle, half are ended.
		Traffic wave = Traffic.start(8, SESSIONS,
				(i) -> Clients.session(api, ledger, "c" + i, 1, 1 + i % 2, i % 2 == 1));
		wave.await(Duration.ofSeconds(120));
		// The last sessions expire 1 s after their last append; give Redis 2 s more to expire them.
		ServiceProcess.sleep(Math.max(3000, CUT.toMillis() - elapsedMillis(cutAt)));
		int archivedDuringCut = stack.archive.count() - WARM_UP;
		long cutMillis = elapsedMillis(cutAt);
		stack.workerRedisProxy.restore();

		int archived = stack.archive.awaitCount((n) -> n >= WARM_UP + SESSIONS, Duration.ofSeconds(60));
		// The worker counts a batch after its commit: the rows can be seen a moment before the counter.
		int swept = Metrics.awaitArchivedBy(stack.worker(), "sweep", sweptBefore + SESSIONS, Duration.ofSeconds(15))
				- sweptBefore;
		System.out.printf("%s: link cut for %.1f s, %d archived during the cut, %d by the sweep after it,"
				+ " %d reconnects refused%n", SCENARIO, cutMillis / 1000.0, archivedDuringCut, swept,
				stack.workerRedisProxy.refused());

		Verdict verdict = Verifier.verify(SCENARIO, ledger, stack.archive.rows()).report();
		verdict.assertClean();
		assertThat(archivedDuringCut).as("archived while cut off").isZero();
		assertThat(ledger.sessions()).hasSize(WARM_UP + SESSIONS);
		assertThat(archived).isEqualTo(WARM_UP + SESSIONS);
		assertThat(swept).as("sessions archived by the sweep").isEqualTo(SESSIONS);
	}

	private static long elapsedMillis(long since) {
		return Duration.ofNanos(System.nanoTime() - since).toMillis();
	}

}
