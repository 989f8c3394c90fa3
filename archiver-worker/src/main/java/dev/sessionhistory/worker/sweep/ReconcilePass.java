package dev.sessionhistory.worker.sweep;

import java.time.Duration;

import dev.sessionhistory.worker.sweep.PendingScan.Step;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The pace and the report of the reconcile's passes over the keyspace. The steps a pass
 * needs are estimated from {@code DBSIZE} when it begins and spread evenly over the
 * interval; the next pass begins one interval after the previous one began. Steps are
 * never closer than {@link #MIN_PAUSE}, so a keyspace too large for one interval takes
 * longer instead of loading Redis more. What a pass re-indexed, and the foreign keys it
 * met, are logged when it completes. Not thread-safe: one thread steps.
 */
final class ReconcilePass {

	/** A step costs Redis about a millisecond at the default batch: at most a few percent of it. */
	static final Duration MIN_PAUSE = Duration.ofMillis(20);

	/** How long a failed step waits at least, so an outage is not retried in a tight loop. */
	private static final Duration FAILURE_PAUSE = Duration.ofSeconds(1);

	private static final Log logger = LogFactory.getLog(ReconcilePass.class);

	private final Duration interval;

	private final int batch;

	private long passStart;

	private long expectedSteps = 1;

	private long stepsDone;

	private long passReindexed;

	private int passWrongType;

	private String wrongTypeExample;

	private int lastWrongType;

	/**
	 * @param interval about how long a pass takes
	 * @param batch the keys a step looks at, about
	 */
	ReconcilePass(Duration interval, int batch) {
		this.interval = interval;
		this.batch = batch;
	}

	/** A pass begins at {@code now} over a keyspace of {@code keyCount} keys. */
	void begin(long now, long keyCount) {
		this.passStart = now;
		this.expectedSteps = Math.max(1, ceilDiv(keyCount, this.batch));
		this.stepsDone = 0;
		this.passReindexed = 0;
		this.passWrongType = 0;
	}

	/**
	 * Records a step that ended at {@code now}, and reports the pass if it was its last.
	 * @return the pause before the next step
	 */
	Duration stepped(Step step, long now) {
		this.stepsDone++;
		this.passReindexed += step.reindexed();
		if (!step.wrongType().isEmpty()) {
			this.passWrongType += step.wrongType().size();
			this.wrongTypeExample = step.wrongType().get(0);
		}
		if (!step.passComplete()) {
			return pause(this.passStart, intervalMillis(), this.expectedSteps, this.stepsDone, now);
		}
		report();
		return max(MIN_PAUSE, Duration.ofMillis(this.passStart + intervalMillis() - now));
	}

	/** The pause after a step that failed at {@code now}: the pace, but at least a second (or an interval). */
	Duration failed(long now) {
		Duration pace = pause(this.passStart, intervalMillis(), this.expectedSteps, this.stepsDone, now);
		Duration least = (FAILURE_PAUSE.compareTo(this.interval) < 0) ? FAILURE_PAUSE : this.interval;
		return max(pace, least);
	}

	private void report() {
		if (this.passReindexed > 0) {
			logger.warn("Re-indexed " + this.passReindexed + " pending sessions that were missing from the due index");
		}
		// A foreign key stays until someone removes it: say so when it appears, not every pass.
		if (this.passWrongType > 0 && this.passWrongType != this.lastWrongType) {
			logger.warn(this.passWrongType + " keys under the pending pattern are not sets, e.g. that of code '"
					+ this.wrongTypeExample + "'; another program wrote them, the reconcile skips them");
		}
		else if (this.passWrongType == 0 && this.lastWrongType > 0) {
			logger.info("No more keys of the wrong type under the pending pattern");
		}
		this.lastWrongType = this.passWrongType;
	}

	/**
	 * The pause before the next step of a pass, spreading the steps left evenly over what
	 * is left of the interval; at least {@link #MIN_PAUSE}, and no more than that once the
	 * pass is late or needs more steps than expected.
	 */
	static Duration pause(long passStart, long intervalMillis, long expectedSteps, long stepsDone, long now) {
		long left = passStart + intervalMillis - now;
		long stepsLeft = expectedSteps - stepsDone;
		if (left <= 0 || stepsLeft <= 0) {
			return MIN_PAUSE;
		}
		return max(MIN_PAUSE, Duration.ofMillis(left / stepsLeft));
	}

	private long intervalMillis() {
		return this.interval.toMillis();
	}

	private static long ceilDiv(long dividend, long divisor) {
		return (dividend + divisor - 1) / divisor;
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

}
