package dev.sessionhistory.worker.events;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.worker.archive.Archiver;
import dev.sessionhistory.model.Pipeline;
import dev.sessionhistory.worker.archive.Trigger;
import dev.sessionhistory.worker.sweep.Sweeper;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The fast path: archives the instances a batch of events names, those ended explicitly
 * and the ended instances of the codes whose live key expired. A batch that follows a
 * (re)subscription first checks the server's settings and asks for a sweep, since
 * events may have been missed meanwhile. Events are hints only: an instance they miss
 * stays in the due index, where the sweep finds it.
 */
@Component
class EventArchiver {

	private static final Log logger = LogFactory.getLog(EventArchiver.class);

	/**
	 * Pending instances read per expired code. A code has at most two (create refuses a
	 * code while one waits), so a few more bound the reply for a pending set a foreign
	 * writer filled; the sweep finds any others.
	 */
	private static final long PENDING_READ = 16;

	private final Archiver archiver;

	private final Sweeper sweeper;

	private final KeyspaceNotifications keyspace;

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	EventArchiver(Archiver archiver, Sweeper sweeper, KeyspaceNotifications keyspace, StringRedisTemplate redis,
			RedisKeys keys) {
		this.archiver = archiver;
		this.sweeper = sweeper;
		this.keyspace = keyspace;
		this.redis = redis;
		this.keys = keys;
	}

	void archive(EventBatch batch) {
		if (batch.resubscribed()) {
			this.keyspace.ensure();
			this.sweeper.requestSweep();
		}
		Map<SessionRef, Trigger> work = new LinkedHashMap<>(batch.endedInstances());
		pendingInstances(batch.expiredCodes()).forEach((ref) -> work.putIfAbsent(ref, Trigger.EVENT));
		this.archiver.archive(work);
	}

	/** The instances of the codes not archived yet; the claim skips the one still live. */
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

}
