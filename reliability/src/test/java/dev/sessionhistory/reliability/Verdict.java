package dev.sessionhistory.reliability;

import java.util.List;
import java.util.Locale;

/**
 * A scenario's figures, compared with the archive.
 *
 * @param scenario the scenario's name
 * @param sessions sessions created (and so expected in the archive exactly once)
 * @param messages messages acknowledged
 * @param faults faults injected
 * @param lost acknowledged messages or sessions missing from the archive, or archived
 * with other text or at another seq, beyond what the scenario states may be lost
 * @param duplicated messages or sessions archived more than once
 * @param allowedLoss acknowledged messages missing within the loss the scenario states
 * (Redis' own window), 0 elsewhere
 * @param maxLagSeconds the longest time from a session's end to its archive row
 * @param problems everything found wrong, lost or not, for the failure message
 */
record Verdict(String scenario, int sessions, int messages, int faults, int lost, int duplicated, int allowedLoss,
		double maxLagSeconds, List<String> problems) {

	String line() {
		String line = String.format(Locale.ROOT,
				"%s: sessions %d, messages %d, faults %d, lost %d, duplicated %d, max archive lag %.1f s", this.scenario,
				this.sessions, this.messages, this.faults, this.lost, this.duplicated, this.maxLagSeconds);
		return (this.allowedLoss > 0) ? line + ", lost within Redis' stated window " + this.allowedLoss : line;
	}

	/** Prints the line, records it for the summary, and returns this. */
	Verdict report() {
		System.out.println(line());
		Results.record(this);
		return this;
	}

	boolean clean() {
		return this.lost == 0 && this.duplicated == 0 && this.problems.isEmpty();
	}

	/** Fails with every problem found unless nothing was lost, duplicated or inconsistent. */
	Verdict assertClean() {
		org.assertj.core.api.Assertions.assertThat(this.problems).as(this::problemSummary).isEmpty();
		org.assertj.core.api.Assertions.assertThat(this.lost).as("lost").isZero();
		org.assertj.core.api.Assertions.assertThat(this.duplicated).as("duplicated").isZero();
		return this;
	}

	String problemSummary() {
		List<String> first = this.problems.subList(0, Math.min(this.problems.size(), 25));
		return this.problems.size() + " problem(s):\n  " + String.join("\n  ", first);
	}

}
