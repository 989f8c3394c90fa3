package dev.sessionhistory.reliability;

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

	static final int SESSIONS = WorkerReplicasIntegrationTests.SESSIONS;

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
		Ledger ledger = WorkerReplicasIntegrationTests.archiveAWaveExactlyOnce(stack, SCENARIO, "k");
		int[] masters = stack.cluster.masterPorts();
		Map<Integer, Long> perMaster = ledger.sessions()
			.stream()
			.collect(Collectors.groupingBy((session) -> masters[SlotHash.getSlot(session.code)], TreeMap::new,
					Collectors.counting()));
		System.out.printf(Locale.ROOT, "%s: sessions per master %s%n", SCENARIO, perMaster.values());
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
