package dev.sessionhistory.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.lettuce.core.cluster.SlotHash;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 10: three worker replicas on a wave of 5,000 ending sessions on a Redis Cluster
 * of three masters. Each master sends the expiries of its own keys to its own subscribers
 * only, so a worker that listened to one node would leave two thirds of the expiries to the
 * sweep; the due index is in 16 buckets spread over the masters. Exactly 5,000 rows, the
 * replicas' counters adding up to exactly that, every replica and every master taking part,
 * and every replica subscribed on all three masters (its health); the split is printed. (The
 * sweep archives many of the expiring sessions even so, as on one Redis: their due score is
 * their expiry, and a claim's read of an expired live key makes it expire at once.)
 */
class ClusterWorkersIntegrationTests {

	static final String SCENARIO = "s10-cluster-three-workers";

	static final int SESSIONS = 5000;

	private static Stack stack;

	@BeforeAll
	static void start() {
		Results.start(SCENARIO);
		stack = Stack.start(SCENARIO, Stack.Setup.standard().withWorkers(3).onCluster(3, 0));
	}

	@AfterAll
	static void stop() {
		Cleanup.closeAll();
	}

	@Test
	void threeWorkersArchiveAWaveOverThreeMastersExactlyOnce() {
		Ledger ledger = new Ledger();
		Api api = stack.client();
		// Two in three sessions expire after 1 s idle, one in three is ended explicitly.
		Traffic wave = Traffic.start(8, SESSIONS, (i) -> Clients.session(api, ledger, "k" + i, 1, 1, i % 3 == 0));
		wave.await(Duration.ofSeconds(240));
		int archived = stack.archive.awaitCount((n) -> n >= SESSIONS, Duration.ofSeconds(90));
		// Let late duplicates, if any, show up before counting.
		ServiceProcess.sleep(3000);

		List<Integer> shares = new ArrayList<>();
		for (ServiceProcess worker : stack.workers) {
			shares.add(Metrics.archived(worker));
		}
		int total = shares.stream().mapToInt(Integer::intValue).sum();
		int[] masters = stack.cluster.masterPorts();
		Map<Integer, Long> perMaster = ledger.sessions()
			.stream()
			.collect(Collectors.groupingBy((session) -> masters[SlotHash.getSlot(session.code)], TreeMap::new,
					Collectors.counting()));
		System.out.printf(Locale.ROOT, "%s: archived per worker %s (%s of the wave); sessions per master %s%n",
				SCENARIO, shares, shares.stream()
					.map((share) -> String.format(Locale.ROOT, "%.0f %%", 100.0 * share / SESSIONS))
					.toList(), perMaster.values());

		Verdict verdict = Verifier.verify(SCENARIO, ledger, stack.archive.rows()).report();
		verdict.assertClean();
		assertThat(ledger.sessions()).hasSize(SESSIONS);
		assertThat(archived).isEqualTo(SESSIONS);
		assertThat(stack.archive.count()).as("rows after the wave settled").isEqualTo(SESSIONS);
		assertThat(total).as("sessions archived according to the workers' counters").isEqualTo(SESSIONS);
		assertThat(shares).as("every replica took part").allMatch((share) -> share > 0);
		assertThat(perMaster).as("sessions on every master").hasSize(3).allSatisfy((port, count) ->
				assertThat(count).isGreaterThan(SESSIONS / 5));
		int swept = stack.workers.stream().mapToInt((worker) -> Metrics.archivedBy(worker, "sweep")).sum();
		System.out.printf(Locale.ROOT, "%s: %d archived by a sweep, the others by events%n", SCENARIO, swept);
		// Every replica listens on every master, as its health says.
		for (ServiceProcess worker : stack.workers) {
			JsonNode subscription = Api.JSON.readTree(worker.health()).at("/components/eventSubscription");
			assertThat(subscription.get("status").asString()).as(worker + " " + subscription).isEqualTo("UP");
			JsonNode nodes = subscription.at("/details/nodes");
			assertThat(nodes.propertyNames()).as(worker + " " + subscription).hasSize(3);
			nodes.forEach((channels) -> assertThat(channels.values().stream().map(JsonNode::asString))
				.containsExactlyInAnyOrder("__keyevent@0__:expired", Stack.KEY_PREFIX + ":events"));
		}
	}

}
