package dev.sessionhistory.worker.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.sessionhistory.worker.system.HistoryProperties;
import dev.sessionhistory.worker.system.BackgroundTask;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.core.task.TaskExecutor;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.stereotype.Component;

/**
 * The events between the subscription and the {@link EventArchiver}: the listener only
 * queues (it runs on the client's I/O thread), and a task on Spring's application task
 * executor drains the queue, a batch of up to {@code history.archive.batch-size} events at
 * a time, until it is empty. Events that arrive while a batch runs form the next batch, so
 * a wave of ends is archived in batches. The queue is bounded: when it is full, events are
 * dropped (logged once per wave) and the sweep archives their sessions.
 */
@Component
class EventQueue extends BackgroundTask {

	private static final Log logger = LogFactory.getLog(EventQueue.class);

	private static final int CAPACITY = 100_000;

	/** With the sweep's 8 s, inside the 20 s shutdown phase. */
	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(8);

	private final BlockingQueue<SessionEvent> queue = new LinkedBlockingQueue<>(CAPACITY);

	private final EventArchiver archiver;

	private final TaskExecutor executor;

	private final int batchSize;

	/** Whether a drain is submitted and has not begun yet: events need not submit another. */
	private final AtomicBoolean drainPending = new AtomicBoolean();

	private volatile boolean dropping;

	EventQueue(EventArchiver archiver,
			@Qualifier(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME) TaskExecutor executor,
			HistoryProperties properties) {
		super(STOP_TIMEOUT);
		this.archiver = archiver;
		this.executor = executor;
		this.batchSize = properties.archive().batchSize();
	}

	void offer(SessionEvent event) {
		if (this.queue.offer(event)) {
			this.dropping = false;
		}
		else if (!this.dropping) {
			this.dropping = true;
			logger.warn("Event queue full (" + CAPACITY + "); dropping events, the sweep archives those sessions");
		}
		if (isRunning() && this.drainPending.compareAndSet(false, true)) {
			try {
				this.executor.execute(this::run);
			}
			catch (TaskRejectedException ex) {
				// Shutting down: what is queued now is left to the sweep of the next start.
				this.drainPending.set(false);
			}
		}
	}

	int size() {
		return this.queue.size();
	}

	/** Archives batches until the queue is empty; an event offered meanwhile submits the next drain. */
	@Override
	protected void runOnce() {
		this.drainPending.set(false);
		List<SessionEvent> events = new ArrayList<>(this.batchSize);
		while (this.queue.drainTo(events, this.batchSize) > 0) {
			try {
				this.archiver.archive(EventBatch.of(events));
			}
			catch (RuntimeException ex) {
				logger.warn("Could not archive " + events.size() + " sessions named by events (" + ex.getMessage()
						+ "); the sweep retries them");
			}
			catch (Error ex) {
				// Not even an OutOfMemoryError may end the draining: the sweep retries the sessions.
				logger.error("Could not archive " + events.size() + " sessions named by events", ex);
			}
			finally {
				events.clear();
			}
		}
	}

	@Override
	public void start() {
		this.drainPending.set(false);
		super.start();
	}

	/** Drains run when events arrive; at stop, the one in progress archives what is queued. */
	@Override
	protected Future<?> schedule() {
		return null;
	}

}
