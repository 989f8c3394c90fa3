package dev.sessionhistory.worker.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Future;

import dev.sessionhistory.worker.retention.RetentionTable.Deleted;
import dev.sessionhistory.worker.system.BackgroundTask;
import dev.sessionhistory.worker.system.HistoryProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Deletes the archives whose session ended longer ago than {@code history.retention.archive}
 * (never, when it is unset): oldest first, in transactions of
 * {@code history.retention.batch-size} archives ({@link RetentionTable}), until none is due
 * or the run has taken {@link #RUN_BUDGET}. The next run follows
 * {@code history.retention.interval} after one that caught up, and a pause as long as the
 * run after one that did not, so that a backlog of millions takes at most about half of one
 * connection's time and no run holds a connection for long.
 * <p>
 * Runs go on Spring's task scheduler as the reconcile's steps do, each scheduling the next,
 * on a thread of their own beside the sweep and the reconcile, never holding them up. Every
 * replica runs retention; their batches skip each other's rows.
 */
@Component
class Retention extends BackgroundTask {

	private static final Log logger = LogFactory.getLog(Retention.class);

	/** The longest a run deletes before it pauses. */
	static final Duration RUN_BUDGET = Duration.ofSeconds(5);

	/** A batch in progress finishes (it has a statement timeout of its own); no next one begins. */
	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

	private final RetentionTable table;

	private final RetentionMetrics metrics;

	private final HistoryProperties.Retention settings;

	private final Clock clock;

	private final TaskScheduler scheduler;

	// Only the run in progress touches what follows.

	private boolean failing;

	Retention(RetentionTable table, RetentionMetrics metrics, HistoryProperties properties, Clock clock,
			TaskScheduler scheduler) {
		super(STOP_TIMEOUT);
		this.table = table;
		this.metrics = metrics;
		this.settings = properties.retention();
		this.clock = clock;
		this.scheduler = scheduler;
	}

	/** The first run one interval after start-up: the catch-up sweep goes first. */
	@Override
	protected Future<?> schedule() {
		if (!this.settings.enabled()) {
			logger.debug("Retention is off (history.retention.archive unset): archives are kept forever");
			return null;
		}
		logger.info("Retention deletes the archives of sessions that ended more than " + this.settings.archive()
				+ " ago, checking every " + this.settings.interval());
		return this.scheduler.schedule(this::run, this.scheduler.getClock().instant().plus(this.settings.interval()));
	}

	@Override
	protected void runOnce() {
		Duration pause = this.settings.interval();
		try {
			pause = deleteDue();
			if (this.failing) {
				logger.info("Retention works again");
				this.failing = false;
			}
		}
		catch (RuntimeException ex) {
			// PostgreSQL unreachable, or a timeout: the batch deleted nothing. Logged once per outage.
			this.metrics.failed();
			if (!this.failing) {
				logger.warn("Retention failed, retrying every " + this.settings.interval() + ": " + ex.getMessage());
				this.failing = true;
			}
		}
		catch (Error ex) {
			// Not even an OutOfMemoryError may stop retention: the next run goes on.
			this.metrics.failed();
			logger.error("Retention failed, retrying every " + this.settings.interval(), ex);
		}
		finally {
			scheduleNext(pause);
		}
	}

	/**
	 * Deletes what is due, batch by batch, within the run's budget.
	 * @return the pause before the next run
	 */
	private Duration deleteDue() {
		long started = this.clock.millis();
		// PostgreSQL keeps microseconds: the bound is exactly the one compared.
		Instant bound = this.clock.instant().minus(this.settings.archive()).truncatedTo(ChronoUnit.MICROS);
		long archives = 0;
		long bytes = 0;
		boolean due = true;
		while (due && isRunning()) {
			Deleted batch = this.table.deleteEndedBefore(bound, this.settings.batchSize());
			this.metrics.deleted(batch);
			archives += batch.archives();
			bytes += batch.bytes();
			// A short batch: nothing more is due but rows others hold, which a later run deletes.
			due = batch.archives() == this.settings.batchSize();
			if (due && this.clock.millis() - started >= RUN_BUDGET.toMillis()) {
				break;
			}
		}
		Optional<Instant> oldest = this.table.oldestEndedAt();
		this.metrics.oldest(oldest);
		Duration took = Duration.ofMillis(this.clock.millis() - started);
		Duration pause = due ? min(took, this.settings.interval()) : this.settings.interval();
		String summary = archives + " archives (" + bytes + " message bytes) of sessions ended before " + bound
				+ " in " + took.toMillis() + " ms; oldest kept: "
				+ oldest.map((endedAt) -> "ended at " + endedAt).orElse("none")
				+ (due ? "; more are due, next run in " + pause.toMillis() + " ms" : "");
		if (archives > 0) {
			logger.info("Retention deleted " + summary);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Retention deleted " + summary);
		}
		return pause;
	}

	private void scheduleNext(Duration pause) {
		if (!isRunning()) {
			return;
		}
		try {
			rescheduled(this.scheduler.schedule(this::run, this.scheduler.getClock().instant().plus(pause)));
		}
		catch (TaskRejectedException ex) {
			// The scheduler is shutting down with the worker: no next run.
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	@Override
	protected void stoppedLate() {
		logger.warn("Retention's batch in progress did not finish in time; it commits or rolls back on its own");
	}

}
