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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * in the due index (its buckets), and this sweep archives whatever is due and still there. It
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

	/**
	 * The most batches of the layout 3 index moved per sweep, so that a huge old index is
	 * moved over several sweeps and never holds up the buckets' own.
	 */
	private static final int LEGACY_STEPS = 20;

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

	/** The bucket the next sweep begins with. */
	private final AtomicInteger nextBucket = new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 16));

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

	/**
	 * Moves what an older version left in the single due index of layout 3 into the
	 * buckets, then reads every bucket's first batch in one round trip and archives bucket by
	 * bucket, from a bucket that moves on by one every sweep and starts at random: replicas
	 * sweeping at once begin in different buckets, and where they meet, the claims split the
	 * work (a batch whose claims another replica holds moves on to the next bucket).
	 */
	private int sweep() {
		int moved = 0;
		for (int step = 0; step < LEGACY_STEPS && isRunning(); step++) {
			int batch = this.index.moveLegacy(this.batchSize);
			moved += batch;
			if (batch < this.batchSize) {
				break;
			}
		}
		if (moved > 0) {
			logger.info("Moved " + moved + " members of the due index of layout 3 into its buckets");
		}
		int handled = 0;
		int buckets = this.index.buckets();
		List<Set<String>> first = this.index.dueInEvery(this.clock.millis(), this.batchSize);
		int start = Math.floorMod(this.nextBucket.getAndIncrement(), buckets);
		for (int i = 0; i < buckets && isRunning(); i++) {
			handled += sweep((start + i) % buckets, first.get((start + i) % buckets));
		}
		this.waiting.set(this.index.countDue(this.clock.millis()));
		return handled;
	}

	/** Archives what is due in one bucket, beginning with {@code members}, its first batch. */
	private int sweep(int bucket, Set<String> members) {
		int handled = 0;
		Set<String> batch = members;
		while (!batch.isEmpty() && isRunning()) {
			Map<SessionRef, Trigger> work = new LinkedHashMap<>();
			List<String> unreadable = new ArrayList<>();
			for (String member : batch) {
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
					this.index.remove(bucket, member);
				}
			}
			this.archiver.postponeUnreadable(unreadable);
			int done = this.archiver.archive(work);
			handled += done;
			// A short page means nothing more is due; none done means another batch holds them.
			if (batch.size() < this.batchSize || done == 0) {
				break;
			}
			batch = this.index.due(bucket, this.clock.millis(), this.batchSize);
		}
		return handled;
	}

	/** The batch in progress at stop finishes; claims of work not started are never taken. */
	@Override
	protected void stoppedLate() {
		logger.warn("Sweep did not finish in time; its claims expire after history.archive.claim-ttl");
	}

}
