package dev.sessionhistory.reliability;

import java.time.Duration;
import java.util.stream.IntStream;

import dev.sessionhistory.testsupport.PrivateRedis;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 12: slots moved between the masters of a Redis Cluster while 300 sessions take
 * 20 appends each, then end. {@code redis-cli --cluster reshard} moves 2,000 slots from one
 * master to another, key by key ({@code MIGRATE}); meanwhile a slot's keys are on two nodes
 * and clients are redirected ({@code ASK}), a script whose keys are split between them is
 * refused ({@code TRYAGAIN}) and retried, and the client learns the new owner ({@code MOVED},
 * then its topology refresh). Then 2,000 slots are moved back. No acknowledged message may be
 * lost, every session is archived exactly once, and nothing is left in Redis.
 */
@Tag("full")
class ClusterReshardIntegrationTests {

	static final String SCENARIO = "s12-cluster-reshard";

	static final int SESSIONS = 300;

	static final int MESSAGES_PER_SESSION = 20;

	static final int SLOTS = 2000;

	private static Stack stack;

	@BeforeAll
	static void start() {
		Results.start(SCENARIO);
		stack = Stack.start(SCENARIO, Stack.Setup.standard().onCluster(3, 0));
	}

	@AfterAll
	static void stop() {
		Cleanup.closeAll();
	}

	@Test
	void slotsMovedBetweenMastersDuringTrafficLoseNothing() {
		Ledger ledger = new Ledger();
		Api api = stack.client();
		int appends = SESSIONS * MESSAGES_PER_SESSION;
		Traffic traffic = Clients.constantAppends(api, ledger, "g", SESSIONS, MESSAGES_PER_SESSION, 60, 20);
		PrivateRedis first = stack.cluster.servers().get(0);
		PrivateRedis second = stack.cluster.servers().get(1);
		int[] before = stack.cluster.masterPorts();

		traffic.awaitProgress(appends / 5, Duration.ofSeconds(60));
		stack.cluster.reshard(first, second, SLOTS);
		ledger.fault();
		int[] moved = stack.cluster.masterPorts();
		long slotsMoved = countMoved(before, moved);
		stack.cluster.reshard(second, first, SLOTS);
		ledger.fault();
		int doneAtTheEnd = traffic.done();
		traffic.await(Duration.ofSeconds(120));
		Traffic ends = Traffic.start(4, SESSIONS, (i) -> {
			if (ledger.session("g" + i) != null) {
				Clients.end(api, ledger, "g" + i);
			}
		});
		ends.await(Duration.ofSeconds(60));
		int archived = stack.archive.awaitCount((n) -> n >= SESSIONS, Duration.ofSeconds(90));

		Verdict verdict = Verifier.verify(SCENARIO, ledger, stack.archive.rows()).report();
		long movedSessions = ledger.sessions()
			.stream()
			.filter((session) -> before[SlotHash.getSlot(session.code)] != moved[SlotHash.getSlot(session.code)])
			.count();
		System.out.printf("%s: %d slots moved there and back, %d of the sessions' codes among them, while appends %d "
				+ "to %d of %d ran%n", SCENARIO, slotsMoved, movedSessions, appends / 5, doneAtTheEnd, appends);
		verdict.assertClean();
		assertThat(slotsMoved).isEqualTo(SLOTS);
		assertThat(movedSessions).as("sessions whose slot moved").isPositive();
		assertThat(doneAtTheEnd).as("appends done when the slots were back").isLessThan(appends);
		assertThat(ledger.sessions()).hasSize(SESSIONS);
		assertThat(ledger.sessions()).allMatch((session) -> session.endAcknowledged);
		assertThat(archived).isEqualTo(SESSIONS);
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!stack.sessionKeysLeft().isEmpty() && System.nanoTime() < deadline) {
			ServiceProcess.sleep(250);
		}
		assertThat(stack.sessionKeysLeft()).as("keys of sessions left in Redis").isEmpty();
	}

	private static long countMoved(int[] before, int[] after) {
		return IntStream.range(0, before.length).filter((slot) -> before[slot] != after[slot]).count();
	}

}
