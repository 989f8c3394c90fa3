package dev.sessionhistory.worker.sweep;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Future;

import dev.sessionhistory.worker.sweep.PendingScan.Step;
import dev.sessionhistory.worker.system.HistoryProperties;
import dev.sessionhistory.worker.system.BackgroundTask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Re-indexes pending instances missing from the {@code due} index, a bounded step at a
 * time ({@link PendingScan}), paced so that a pass over the keyspace takes about
 * {@code history.sweep.reconcile-interval} ({@link ReconcilePass}). Steps run on Spring's
 * task scheduler, beside the sweep and never holding it up (the scheduler has a thread
 * for each, {@code spring.task.scheduling.pool.size}); a step that fails changes nothing
 * and is repeated, and never skips a sweep. Every replica reconciles on its own:
 * re-indexing is idempotent ({@code ZADD NX}), so n replicas only cost n times the scans.
 */
@Component
class Reconciler extends BackgroundTask {

	/** Let a step in progress finish: it is bounded, and cut short it would only be repeated. */
	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(Reconciler.class);

	private final DueIndex index;

	private final PendingScan scan;

	private final ReconcilePass pass;

	private final Clock clock;

	private final TaskScheduler scheduler;

	private final Counter reindexed;

	private final Counter passes;

	private final Counter failures;

	// Only the run in progress touches what follows.

	private Duration nextPause = ReconcilePass.MIN_PAUSE;

	private boolean failing;

	Reconciler(DueIndex index, HistoryProperties properties, Clock clock, TaskScheduler scheduler,
			MeterRegistry registry) {
		super(STOP_TIMEOUT);
		HistoryProperties.Sweep settings = properties.sweep();
		this.index = index;
		this.scan = new PendingScan(index, settings.reconcileBatch());
		this.pass = new ReconcilePass(settings.reconcileInterval(), settings.reconcileBatch());
		this.clock = clock;
		this.scheduler = scheduler;
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

	/** The first step at once; each step then schedules the next one. */
	@Override
	protected Future<?> schedule() {
		return this.scheduler.schedule(this::run, this.scheduler.getClock().instant());
	}

	/**
	 * Schedules the next step a pause after this one completed. Each step does so itself,
	 * rather than a {@code Trigger}, because a scheduler that hands each run to a thread of
	 * its own (virtual threads, on Java 21+) knows when a run began, not when it completed.
	 */
	private void scheduleNext() {
		if (!isRunning()) {
			return;
		}
		try {
			rescheduled(this.scheduler.schedule(this::run, this.scheduler.getClock().instant().plus(this.nextPause)));
		}
		catch (TaskRejectedException ex) {
			// The scheduler is shutting down with the worker: no next step.
		}
	}

	@Override
	protected void runOnce() {
		long now = this.clock.millis();
		try {
			if (this.scan.atStart()) {
				this.pass.begin(now, this.index.keyCount());
			}
			Step step = this.scan.step(now);
			this.reindexed.increment(step.reindexed());
			if (this.failing) {
				logger.info("Reconcile works again");
				this.failing = false;
			}
			if (step.passComplete()) {
				this.passes.increment();
			}
			this.nextPause = this.pass.stepped(step, this.clock.millis());
		}
		catch (RuntimeException ex) {
			// Redis unreachable or refusing: the step changed nothing and is repeated. Logged once per outage.
			this.failures.increment();
			if (!this.failing) {
				logger.warn("Reconcile failed, retrying; the sweep goes on: " + ex.getMessage());
				this.failing = true;
			}
			this.nextPause = this.pass.failed(this.clock.millis());
		}
		catch (Error ex) {
			// Not even an OutOfMemoryError may stop the reconcile: the step is repeated.
			this.failures.increment();
			logger.error("Reconcile failed, retrying", ex);
			this.nextPause = this.pass.failed(this.clock.millis());
		}
		finally {
			scheduleNext();
		}
	}

}
