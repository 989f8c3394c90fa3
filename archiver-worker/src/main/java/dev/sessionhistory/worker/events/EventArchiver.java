package dev.sessionhistory.worker.events;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.worker.archive.Archiver;
import dev.sessionhistory.worker.archive.Pipeline;
import dev.sessionhistory.worker.archive.Trigger;
import dev.sessionhistory.worker.sweep.Sweeper;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The fast path: archives the instances named by events on a thread of its own. Events
 * that arrive while a batch runs queue up and form the next batch, so a wave of ends is
 * archived in batches. Events are hints only: a lost or dropped one leaves the instance
 * in the due index, where the sweep finds it.
 */
@Component
class EventArchiver implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(EventArchiver.class);

	private static final int CAPACITY = 100_000;

	private static final Object SUBSCRIBED = new Object();

	private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>(CAPACITY);

	private final Archiver archiver;

	private final Sweeper sweeper;

	private final KeyspaceNotifications keyspace;

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private volatile boolean running;

	private volatile boolean dropping;

	private Thread thread;

	EventArchiver(Archiver archiver, Sweeper sweeper, KeyspaceNotifications keyspace, StringRedisTemplate redis,
			RedisKeys keys) {
		this.archiver = archiver;
		this.sweeper = sweeper;
		this.keyspace = keyspace;
		this.redis = redis;
		this.keys = keys;
	}

	/** The live key of {@code code} expired: its ended instances can be archived. */
	void expired(String code) {
		offer(code);
	}

	void ended(SessionRef ref) {
		offer(ref);
	}

	/** The subscription (re)started: check the server's settings and sweep for missed events. */
	void subscribed() {
		offer(SUBSCRIBED);
	}

	int queued() {
		return this.queue.size();
	}

	private void offer(Object event) {
		if (this.queue.offer(event)) {
			this.dropping = false;
		}
		else if (!this.dropping) {
			this.dropping = true;
			logger.warn("Event queue full (" + CAPACITY + "); dropping events, the sweep archives those sessions");
		}
	}

	private void run() {
		List<Object> events = new ArrayList<>();
		while (this.running || !this.queue.isEmpty()) {
			try {
				Object first = this.queue.poll(200, TimeUnit.MILLISECONDS);
				if (first == null) {
					if (!this.running) {
						return;
					}
					continue;
				}
				events.add(first);
				this.queue.drainTo(events, this.archiver.batchSize() - 1);
				handle(events);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				logger.warn("Could not archive " + events.size() + " sessions named by events (" + ex.getMessage()
						+ "); the sweep retries them");
			}
			catch (Error ex) {
				// Not even an OutOfMemoryError may end this thread: the sweep retries the sessions.
				logger.error("Could not archive " + events.size() + " sessions named by events", ex);
			}
			finally {
				events.clear();
			}
		}
	}

	private void handle(List<Object> events) {
		Map<SessionRef, Trigger> work = new LinkedHashMap<>();
		Set<String> codes = new LinkedHashSet<>();
		boolean subscribed = false;
		for (Object event : events) {
			if (event == SUBSCRIBED) {
				subscribed = true;
			}
			else if (event instanceof SessionRef ref) {
				work.put(ref, Trigger.END);
			}
			else {
				codes.add((String) event);
			}
		}
		if (subscribed) {
			this.keyspace.ensure();
			this.sweeper.requestSweep();
		}
		pendingInstances(codes).forEach((ref) -> work.putIfAbsent(ref, Trigger.EVENT));
		this.archiver.archive(work);
	}

	/**
	 * The instances of the codes not archived yet; the claim skips the one still live. A
	 * code has at most two (create refuses a code while one waits), so a few more bound the
	 * reply for a pending set a foreign writer filled; the sweep finds any others.
	 */
	private List<SessionRef> pendingInstances(Set<String> codes) {
		if (codes.isEmpty()) {
			return List.of();
		}
		List<String> ordered = new ArrayList<>(codes);
		List<Object> replies = Pipeline.run(this.redis, (commands, futures) -> ordered
			.forEach((code) -> futures.add(commands.srandmember(Pipeline.bytes(this.keys.pending(code)), PENDING_READ))));
		List<SessionRef> refs = new ArrayList<>();
		for (int i = 0; i < ordered.size(); i++) {
			if (replies.get(i) instanceof List<?> ids) {
				for (Object id : ids) {
					Optional<UUID> sessionId = RedisKeys.parseSessionId(String.valueOf(id));
					if (sessionId.isPresent()) {
						refs.add(new SessionRef(ordered.get(i), sessionId.get()));
					}
					else {
						logger.warn("Ignoring '" + id + "' in " + this.keys.pending(ordered.get(i))
								+ ": not a lower-case session id");
					}
				}
			}
		}
		return refs;
	}

	private static final long PENDING_READ = 16;

	@Override
	public void start() {
		this.running = true;
		this.thread = new Thread(this::run, "history-events");
		this.thread.start();
	}

	/** Archives what is queued already, then ends; the sweep covers anything left. */
	@Override
	public void stop() {
		this.running = false;
		try {
			this.thread.join(8_000); // with the sweep's 8 s, inside the 20 s shutdown phase
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 1000;
	}

}
