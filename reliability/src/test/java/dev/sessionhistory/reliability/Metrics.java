package dev.sessionhistory.reliability;

import java.util.Locale;

/**
 * Reads counters from a Prometheus scrape of a worker.
 */
final class Metrics {

	/** Sessions a worker archived (inserted), by trigger: event, end, sweep. */
	static final String ARCHIVED = "history_archive_sessions_total";

	private Metrics() {
	}

	/** The sum of every series of {@code name} whose labels contain {@code labelFilter}. */
	static double sum(String scrape, String name, String labelFilter) {
		double sum = 0;
		for (String line : scrape.lines().toList()) {
			if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
				continue;
			}
			if (!line.contains(labelFilter)) {
				continue;
			}
			String value = line.substring(line.lastIndexOf(' ') + 1);
			sum += Double.parseDouble(value.toLowerCase(Locale.ROOT));
		}
		return sum;
	}

	static int archived(ServiceProcess worker) {
		return (int) sum(worker.scrape(), ARCHIVED, "");
	}

	static int archivedBy(ServiceProcess worker, String trigger) {
		return (int) sum(worker.scrape(), ARCHIVED, "trigger=\"" + trigger + "\"");
	}

	/** Polls {@link #archivedBy} until it reaches {@code expected} or the time is up; returns the last value. */
	static int awaitArchivedBy(ServiceProcess worker, String trigger, int expected, java.time.Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		int value = archivedBy(worker, trigger);
		while (value < expected && System.nanoTime() < deadline) {
			ServiceProcess.sleep(250);
			value = archivedBy(worker, trigger);
		}
		return value;
	}

}
