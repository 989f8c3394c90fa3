package dev.sessionhistory.reliability;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.RedisKeys.SessionRef;

/**
 * The instances a scenario erased through the API ({@code DELETE /sessions/{code}?sessionId=}),
 * at which stage of their life, and every answer the erasures got; afterwards, what is left
 * of them in Redis. Thread-safe.
 */
final class ErasureLedger {

	/** When the client erases an instance. */
	enum Stage {

		/** Right after its appends, while it is live. */
		LIVE,

		/** Right after its end was acknowledged, while the worker may be archiving it. */
		ENDED,

		/** As soon as its archive row is seen. */
		ARCHIVED

	}

	private final ConcurrentMap<UUID, Erasure> erasures = new ConcurrentHashMap<>();

	private final ConcurrentMap<Integer, Integer> answers = new ConcurrentHashMap<>();

	private final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());

	/** Counts one answer to an erasure, a retried one too. */
	Api.Reply answered(Api.Reply reply) {
		this.answers.merge(reply.status(), 1, Integer::sum);
		return reply;
	}

	/** Records the last answer to the erasure of an instance, after the client's retries. */
	void erased(Ledger.Session session, Stage stage, Api.Reply last) {
		this.erasures.put(session.id, new Erasure(new SessionRef(session.code, session.id), stage, last.status()));
		if (!last.is(204)) {
			problem(session.code + " " + session.id + " (" + stage + "): erasure answered " + last.status() + " "
					+ last.body());
		}
	}

	/** An append sent after the erasure: it must not be acknowledged. */
	void appendedAfterErasure(String code, Api.Reply reply) {
		if (reply.is(200) || reply.is(201)) {
			problem(code + ": append acknowledged after its erasure: " + reply.body());
		}
	}

	void problem(String problem) {
		this.problems.add(problem);
	}

	List<String> problems() {
		synchronized (this.problems) {
			return List.copyOf(this.problems);
		}
	}

	Collection<Erasure> erasures() {
		return this.erasures.values();
	}

	Collection<UUID> ids() {
		return this.erasures.keySet();
	}

	/** How many erasures answered 204 at last. */
	int acknowledged() {
		return (int) this.erasures.values().stream().filter((erasure) -> erasure.status() == 204).count();
	}

	/** Every answer by status, retries included. */
	Map<Integer, Integer> answers() {
		return new TreeMap<>(this.answers);
	}

	/**
	 * The erased instances that Redis still holds anything of: a key of the instance, the
	 * code's live key naming it, its id in the code's pending set or its member in the due
	 * index (each code of the scenario has one instance).
	 */
	List<SessionRef> leftInRedis(TestRedis redis, RedisKeys keys) {
		List<SessionRef> left = new ArrayList<>();
		var commands = redis.commands();
		for (Erasure erasure : this.erasures.values()) {
			SessionRef ref = erasure.ref();
			String sid = ref.sessionId().toString();
			long instanceKeys = commands.exists(keys.meta(ref.code(), ref.sessionId()),
					keys.messages(ref.code(), ref.sessionId()), keys.messageIds(ref.code(), ref.sessionId()),
					keys.participants(ref.code(), ref.sessionId()), keys.claim(ref.code(), ref.sessionId()));
			boolean live = sid.equals(commands.get(keys.live(ref.code())));
			boolean pending = commands.sismember(keys.pending(ref.code()), sid);
			boolean due = commands.zscore(keys.due(ref.code()), ref.member()) != null;
			if (instanceKeys > 0 || live || pending || due) {
				left.add(ref);
			}
		}
		return left;
	}

	/**
	 * How many erased instances are still members of their owner's index of sessions in
	 * Redis ({@code user:{…}:sessions}); the API removes such a member when it next reads
	 * the index and finds the instance gone.
	 */
	int leftInOwnersIndex(TestRedis redis, RedisKeys keys, Map<UUID, ArchiveTables.Logged> log) {
		int left = 0;
		for (Erasure erasure : this.erasures.values()) {
			ArchiveTables.Logged logged = log.get(erasure.ref().sessionId());
			if (logged != null && logged.owner() != null
					&& redis.commands().zscore(keys.userSessions(logged.owner()), erasure.ref().member()) != null) {
				left++;
			}
		}
		return left;
	}

	/**
	 * One erased instance.
	 *
	 * @param ref the instance
	 * @param stage when the client erased it
	 * @param status the last answer
	 */
	record Erasure(SessionRef ref, Stage stage, int status) {
	}

}
