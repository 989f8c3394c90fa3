package dev.sessionhistory.worker.sweep;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.worker.archive.Archiver;
import dev.sessionhistory.worker.archive.Trigger;
import dev.sessionhistory.worker.system.HistoryProperties;
import dev.sessionhistory.worker.system.BackgroundTask;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.core.task.TaskExecutor;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * The safety net under the events: pub/sub is fire-and-forget, so every instance is also
 * in the {@code due} index, and this sweep archives whatever is due and still there. It
 * runs on Spring's task scheduler at start-up (catching up with what ended while no
 * worker ran), then with a fixed delay of {@code history.sweep.interval}, and on request
 * after the event subscription (re)started; one sweep at a time. Pending instances a
 * writer failed to index are put back into the index by the {@link Reconciler}.
 */
@Component
public class Sweeper extends BackgroundTask {

	private static final Log logger = LogFactory.getLog(Sweeper.class);

	/**
	 * How soon a requested sweep that failed is tried again: it catches up with events
	 * missed while Redis was away, and a command connection may still be reconnecting when
	 * the subscription is back, so it must not wait for the next regular sweep.
	 */
	private static final Duration REQUESTED_RETRY = Duration.ofSeconds(1);

	/** With the event queue's 8 s, inside the 20 s shutdown phase. */
	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(8);

	private final DueIndex index;

	private final Archiver archiver;

	private final HistoryProperties.Sweep settings;

	private final int batchSize;

	private final Clock clock;

	private final TaskScheduler scheduler;

	private final TaskExecutor executor;

	private final AtomicLong waiting = new AtomicLong();

	private final AtomicBoolean requested = new AtomicBoolean();

	private volatile boolean failing;

	Sweeper(DueIndex index, Archiver archiver, HistoryProperties properties, Clock clock, TaskScheduler scheduler,
			@Qualifier(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME) TaskExecutor executor,
			MeterRegistry registry) {
		super(STOP_TIMEOUT);
		this.index = index;
		this.archiver = archiver;
		this.settings = properties.sweep();
		this.batchSize = properties.archive().batchSize();
		this.clock = clock;
		this.scheduler = scheduler;
		this.executor = executor;
		Gauge.builder("history.archive.waiting", this.waiting, AtomicLong::get)
			.description("Sessions due in the due index at the last sweep: ended and not archived yet, or live and "
					+ "about to be re-scored")
			.register(registry);
	}

	/** The first sweep runs at once: it catches up with what ended while no worker ran. */
	@Override
	protected Future<?> schedule() {
		return this.scheduler.scheduleWithFixedDelay(this::run, this.settings.interval());
	}

	/**
	 * Sweeps as soon as possible, e.g. after events may have been missed: after the sweep
	 * in progress, if any, and again every {@link #REQUESTED_RETRY} until one succeeds. Runs
	 * on the application task executor, so that the scheduler's threads are never held
	 * waiting for it.
	 */
	public void requestSweep() {
		if (isRunning() && this.requested.compareAndSet(false, true)) {
			try {
				this.executor.execute(() -> {
					this.requested.set(false);
					run();
					if (this.failing && isRunning()) {
						Instant retry = this.scheduler.getClock().instant().plus(REQUESTED_RETRY);
						this.scheduler.schedule(this::requestSweep, retry);
					}
				});
			}
			catch (TaskRejectedException ex) {
				// Shutting down: the sweep of the next start catches up.
				this.requested.set(false);
			}
		}
	}

	@Override
	protected void runOnce() {
		try {
			int handled = sweep();
			if (this.failing) {
				logger.info("Sweep works again");
				this.failing = false;
			}
			if (handled > 0) {
				logger.debug("Sweep handled " + handled + " due sessions");
			}
		}
		catch (RuntimeException ex) {
			// Redis unreachable: Lettuce reconnects; the next run retries. Logged once per outage.
			if (!this.failing) {
				logger.warn("Sweep failed, retrying every " + this.settings.interval() + ": " + ex.getMessage());
				this.failing = true;
			}
		}
		catch (Error ex) {
			// Not even an OutOfMemoryError may stop the sweep: the next run retries.
			logger.error("Sweep failed, retrying every " + this.settings.interval(), ex);
		}
	}

	private int sweep() {
		int handled = 0;
		while (isRunning()) {
			long now = this.clock.millis();
			Set<String> members = this.index.due(now, this.batchSize);
			Map<SessionRef, Trigger> work = new LinkedHashMap<>();
			List<String> unreadable = new ArrayList<>();
			for (String member : members) {
				Optional<SessionRef> ref = RedisKeys.parseRef(member);
				if (ref.isPresent()) {
					work.put(ref.get(), Trigger.SWEEP);
				}
				else if (member.indexOf(' ') > 0 && RedisKeys.isValidCode(member.substring(0, member.indexOf(' ')))) {
					// A code with an id of another spelling (e.g. upper case): its data may exist, keep it.
					unreadable.add(member);
				}
				else {
					logger.warn("Removing malformed member '" + member + "' from the due index");
					this.index.remove(member);
				}
			}
			this.archiver.postponeUnreadable(unreadable);
			int done = this.archiver.archive(work);
			handled += done;
			// A short page means nothing more is due; none done means another batch holds them.
			if (members.size() < this.batchSize || done == 0) {
				break;
			}
		}
		this.waiting.set(this.index.countDue(this.clock.millis()));
		return handled;
	}

	/** The batch in progress at stop finishes; claims of work not started are never taken. */
	@Override
	protected void stoppedLate() {
		logger.warn("Sweep did not finish in time; its claims expire after history.archive.claim-ttl");
	}

}
