package dev.sessionhistory.reliability;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 11b: scenario 11 with the API's appends waiting for a replica before they are
 * acknowledged ({@code history.append.replicas=1}, on connections of their own): then
 * nothing acknowledged may be lost at all, not even what the master took while its replica
 * lagged (those appends wait, are answered 503 after the timeout, and are retried).
 */
@Tag("full")
class ClusterFailoverWaitIntegrationTests {

	static final String SCENARIO = "s11b-cluster-failover-wait";

	private static Stack stack;

	@BeforeAll
	static void start() {
		Results.start(SCENARIO);
		stack = Stack.start(SCENARIO, Stack.Setup.standard()
			.withApiArgs("--history.append.replicas=1", "--history.append.replica-timeout=500ms")
			.onCluster(3, 1));
	}

	@AfterAll
	static void stop() {
		Cleanup.closeAll();
	}

	@Test
	void withAppendsWaitingForAReplicaNothingAcknowledgedIsLost() {
		ClusterFailoverIntegrationTests.killAMasterUnderAppends(stack, SCENARIO, false);
	}

}
