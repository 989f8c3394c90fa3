package dev.sessionhistory.reliability;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Everything a scenario started, closed in reverse order by {@code @AfterAll} and, should
 * the JVM end first (a failed or interrupted run), by a shutdown hook: no server or service
 * process outlives the suite.
 */
final class Cleanup {

	private static final Deque<AutoCloseable> OPEN = new ArrayDeque<>();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::closeAll, "reliability-cleanup"));
	}

	private Cleanup() {
	}

	static synchronized <T extends AutoCloseable> T register(T resource) {
		OPEN.push(resource);
		return resource;
	}

	static void closeAll() {
		while (true) {
			AutoCloseable next;
			synchronized (Cleanup.class) {
				next = OPEN.poll();
			}
			if (next == null) {
				return;
			}
			try {
				next.close();
			}
			catch (Exception ex) {
				System.err.println("Could not close " + next + ": " + ex);
			}
		}
	}

}
