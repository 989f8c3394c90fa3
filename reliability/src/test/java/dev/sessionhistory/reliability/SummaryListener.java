package dev.sessionhistory.reliability;

import java.nio.file.Files;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints the summary table when the test run ends, and makes sure nothing the scenarios
 * started is left running. Registered in {@code META-INF/services}.
 */
public class SummaryListener implements TestExecutionListener {

	@Override
	public void testPlanExecutionFinished(TestPlan testPlan) {
		Cleanup.closeAll();
		if (Files.exists(Results.file())) {
			System.out.println("\nReliability suite (" + Results.file().getFileName() + "):\n" + Results.table() + "\n");
		}
	}

}
