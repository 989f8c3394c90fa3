package dev.sessionhistory.worker.sweep;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import dev.sessionhistory.worker.sweep.PendingScan.Step;
import dev.sessionhistory.worker.system.HistoryProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TriggerContext;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Re-indexes pending instances missing from the {@code due} index, on a scheduler thread
 * of its own so that it never holds up the sweep and its failures never skip one. Each
 * step is bounded ({@link PendingScan}); steps are spaced so that a pass over the
 * keyspace takes about {@code history.sweep.reconcile-interval}: the number of steps a
 * pass needs is estimated from {@code DBSIZE} when it begins, and the next pass begins
 * one interval after the previous one began. Steps are never closer than
 * {@link #MIN_PAUSE}, so a keyspace too large for one interval takes longer instead of
 * loading Redis more. Every replica reconciles on its own: re-indexing is idempotent
 * ({@code ZADD NX}), so n replicas only cost n times the scans.
 */
@Component
class Reconciler implements SmartLifecycle {

	/** A step costs Redis about a millisecond at the default batch: at most a few percent of it. */
	static final Duration MIN_PAUSE = Duration.ofMillis(20);

	/** How long a failed step waits at least, so an outage is not retried in a tight loop. */
	private static final Duration FAILURE_PAUSE = Duration.ofSeconds(1);

	private static final Log logger = LogFactory.getLog(Reconciler.class);

	private final DueIndex index;

	private final PendingScan scan;

	private final HistoryProperties.Sweep settings;

	private final Clock clock;

	private final Counter reindexed;

	private final Counter passes;

	private final Counter failures;

	private volatile ThreadPoolTaskScheduler scheduler;

	private volatile ScheduledFuture<?> task;

	private volatile boolean running;

	// Only the scheduler thread touches what follows.

	private Duration nextPause = Duration.ZERO;

	private long passStart;

	private long expectedSteps = 1;

	private long stepsDone;

	private long passReindexed;

	private int passWrongType;

	private String wrongTypeExample;

	private int lastWrongType;

	private boolean failing;

	Reconciler(DueIndex index, HistoryProperties properties, Clock clock, MeterRegistry registry) {
		this.index = index;
		this.settings = properties.sweep();
		this.clock = clock;
		this.scan = new PendingScan(index, this.settings.reconcileBatch());
		this.reindexed = Counter.builder("history.sweep.reindexed")
			.description("Pending session instances the reconcile found missing from the due index and added")
			.register(registry);
		this.passes = Counter.builder("history.sweep.reconcile.passes")
			.description("Reconcile passes completed over the whole keyspace")
			.register(registry);
		this.failures = Counter.builder("history.sweep.reconcile.failures")
			.description("Reconcile steps that failed (Redis unreachable or refusing); the next one repeats them")
			.register(registry);
	}

	@Override
	public void start() {
		ThreadPoolTaskScheduler created = new ThreadPoolTaskScheduler();
		created.setPoolSize(1);
		// Trigger times (the first step, the last completion) from the same clock as the steps' own.
		created.setClock(this.clock);
		created.setThreadNamePrefix("history-reconcile-");
		// Let a step in progress finish: it is bounded, and cut short it would only be repeated.
		created.setWaitForTasksToCompleteOnShutdown(true);
		created.setAwaitTerminationSeconds(5);
		created.initialize();
		this.scheduler = created;
		this.running = true;
		this.task = created.schedule(this::stepSafely, this::nextStep);
	}

	private Instant nextStep(TriggerContext context) {
		Instant last = context.lastCompletion();
		return (last != null) ? last.plus(this.nextPause) : context.getClock().instant();
	}

	private void stepSafely() {
		long now = this.clock.millis();
		try {
			if (this.scan.atStart()) {
				beginPass(now);
			}
			Step step = this.scan.step(now);
			this.stepsDone++;
			this.reindexed.increment(step.reindexed());
			this.passReindexed += step.reindexed();
			if (!step.wrongType().isEmpty()) {
				this.passWrongType += step.wrongType().size();
				this.wrongTypeExample = step.wrongType().get(0);
			}
			if (this.failing) {
				logger.info("Reconcile works again");
				this.failing = false;
			}
			long after = this.clock.millis();
			if (step.passComplete()) {
				completePass();
				this.nextPause = max(MIN_PAUSE, Duration.ofMillis(this.passStart + intervalMillis() - after));
			}
			else {
				this.nextPause = pause(this.passStart, intervalMillis(), this.expectedSteps, this.stepsDone, after);
			}
		}
		catch (RuntimeException ex) {
			// Redis unreachable or refusing: the step changed nothing and is repeated. Logged once per outage.
			this.failures.increment();
			if (!this.failing) {
				logger.warn("Reconcile failed, retrying; the sweep goes on: " + ex.getMessage());
				this.failing = true;
			}
			this.nextPause = failurePause(this.clock.millis());
		}
		catch (Error ex) {
			// A scheduled task that throws is never run again: not even an OutOfMemoryError may stop it.
			this.failures.increment();
			logger.error("Reconcile failed, retrying", ex);
			this.nextPause = failurePause(this.clock.millis());
		}
	}

	private void beginPass(long now) {
		long keys = this.index.keyCount();
		this.passStart = now;
		this.expectedSteps = Math.max(1, ceilDiv(keys, this.settings.reconcileBatch()));
		this.stepsDone = 0;
		this.passReindexed = 0;
		this.passWrongType = 0;
	}

	private void completePass() {
		this.passes.increment();
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

	private Duration failurePause(long now) {
		Duration pace = pause(this.passStart, intervalMillis(), this.expectedSteps, this.stepsDone, now);
		Duration least = (FAILURE_PAUSE.compareTo(this.settings.reconcileInterval()) < 0) ? FAILURE_PAUSE
				: this.settings.reconcileInterval();
		return max(pace, least);
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
		return this.settings.reconcileInterval().toMillis();
	}

	private static long ceilDiv(long dividend, long divisor) {
		return (dividend + divisor - 1) / divisor;
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	/** Lets the step in progress finish. */
	@Override
	public void stop() {
		this.running = false;
		ScheduledFuture<?> current = this.task;
		if (current != null) {
			current.cancel(false);
		}
		ThreadPoolTaskScheduler executor = this.scheduler;
		if (executor != null) {
			executor.shutdown();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Alongside the sweep: both start before and stop after the event subscription. */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 1000;
	}

}
