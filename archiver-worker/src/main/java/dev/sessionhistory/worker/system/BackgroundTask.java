package dev.sessionhistory.worker.system;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.context.SmartLifecycle;

/**
 * A job of the worker run in the background by Spring's task scheduler or executor, one
 * run at a time: the sweep, the reconcile, the draining of the event queue. It starts
 * before the event subscription and stops after it (phase {@code Integer.MAX_VALUE}), in
 * order: after {@link #stop()} no run begins, nothing more is scheduled, and the run in
 * progress may finish, up to a timeout; it is never interrupted.
 */
public abstract class BackgroundTask implements SmartLifecycle {

	/** Just before the event subscription, which stops first. */
	private static final int PHASE = Integer.MAX_VALUE - 1000;

	/** Held by the run in progress: runs never overlap, and a stop can wait for one. */
	private final ReentrantLock running = new ReentrantLock();

	private final Duration stopTimeout;

	private volatile boolean started;

	private volatile Future<?> scheduled;

	/**
	 * @param stopTimeout how long a stop waits for the run in progress
	 */
	protected BackgroundTask(Duration stopTimeout) {
		this.stopTimeout = stopTimeout;
	}

	/** One run of the job; what it throws is its own to handle, else the scheduler's. */
	protected abstract void runOnce();

	/**
	 * Submits the runs at start, e.g. {@code scheduler.scheduleWithFixedDelay(this::run, interval)}.
	 * @return the schedule, cancelled at stop; {@code null} for a job that runs only on
	 * demand ({@link #run()} submitted to an executor)
	 */
	protected abstract Future<?> schedule();

	/** For a job that schedules each next run itself: the schedule to cancel at stop from now on. */
	protected final void rescheduled(Future<?> next) {
		this.scheduled = next;
	}

	/** Called when a stop gave up waiting for the run in progress. */
	protected void stoppedLate() {
	}

	/** Runs the job once, after the run in progress if there is one; nothing unless running. */
	protected final void run() {
		this.running.lock();
		try {
			if (this.started) {
				runOnce();
			}
		}
		finally {
			this.running.unlock();
		}
	}

	@Override
	public void start() {
		this.started = true;
		this.scheduled = schedule();
	}

	@Override
	public void stop() {
		this.started = false;
		Future<?> next = this.scheduled;
		if (next != null) {
			next.cancel(false);
		}
		if (!awaitRunInProgress()) {
			stoppedLate();
		}
	}

	private boolean awaitRunInProgress() {
		try {
			if (!this.running.tryLock(this.stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
				return false;
			}
			this.running.unlock();
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Whether runs may begin: started and not stopped. */
	@Override
	public boolean isRunning() {
		return this.started;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
