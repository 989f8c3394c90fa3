package dev.sessionhistory.worker.sweep;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.worker.archive.Archiver;
import dev.sessionhistory.worker.archive.Trigger;
import dev.sessionhistory.worker.system.HistoryProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The safety net under the events: pub/sub is fire-and-forget, so every instance is also
 * in the {@code due} index, and this sweep archives whatever is due and still there. It
 * runs at start-up (catching up with what ended while no worker ran), every
 * {@code history.sweep.interval}, and on request after the event subscription
 * (re)started. Pending instances a writer failed to index are put back into the index by
 * the {@link Reconciler}, on a thread of its own.
 */
@Component
public class Sweeper implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(Sweeper.class);

	private final DueIndex index;

	private final Archiver archiver;

	private final HistoryProperties.Sweep settings;

	private final Clock clock;

	private final AtomicLong waiting = new AtomicLong();

	private final AtomicBoolean requested = new AtomicBoolean();

	private volatile ScheduledExecutorService executor;

	private volatile boolean running;

	private boolean failing;

	Sweeper(DueIndex index, Archiver archiver, HistoryProperties properties, Clock clock, MeterRegistry registry) {
		this.index = index;
		this.archiver = archiver;
		this.settings = properties.sweep();
		this.clock = clock;
		Gauge.builder("history.archive.waiting", this.waiting, AtomicLong::get)
			.description("Sessions due in the due index at the last sweep: ended and not archived yet, or live and "
					+ "about to be re-scored")
			.register(registry);
	}

	@Override
	public void start() {
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> new Thread(task, "history-sweep"));
		this.running = true;
		long interval = this.settings.interval().toMillis();
		this.executor.scheduleWithFixedDelay(this::sweepSafely, 0, interval, TimeUnit.MILLISECONDS);
	}

	/** Sweeps as soon as possible, e.g. after events may have been missed. */
	public void requestSweep() {
		ExecutorService current = this.executor;
		if (this.running && current != null && this.requested.compareAndSet(false, true)) {
			current.execute(() -> {
				this.requested.set(false);
				sweepSafely();
			});
		}
	}

	private void sweepSafely() {
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
			// A scheduled task that throws is never run again: not even an OutOfMemoryError may stop the sweep.
			logger.error("Sweep failed, retrying every " + this.settings.interval(), ex);
		}
	}

	private int sweep() {
		int batchSize = this.archiver.batchSize();
		int handled = 0;
		while (this.running) {
			long now = this.clock.millis();
			Set<String> members = this.index.due(now, batchSize);
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
			if (members.size() < batchSize || done == 0) {
				break;
			}
		}
		this.waiting.set(this.index.countDue(this.clock.millis()));
		return handled;
	}

	/** Lets the batch in progress finish; claims of work not started are never taken. */
	@Override
	public void stop() {
		this.running = false;
		ScheduledExecutorService current = this.executor;
		if (current == null) {
			return;
		}
		current.shutdown();
		try {
			if (!current.awaitTermination(8, TimeUnit.SECONDS)) {
				logger.warn("Sweep did not finish in time; its claims expire after history.archive.claim-ttl");
				current.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Starts before and stops after the event subscription (phase {@code Integer.MAX_VALUE}). */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 1000;
	}

}
