package dev.sessionhistory.reliability;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;

/**
 * What the API acknowledged during a scenario: each session it created (201) and each
 * message it stored (201, or 200 for a retried id), with the exact stored text. Thread-safe;
 * {@link Verifier} compares it with the archive.
 */
final class Ledger {

	private final ConcurrentMap<String, Session> sessions = new ConcurrentHashMap<>();

	private final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());

	private final AtomicInteger faults = new AtomicInteger();

	/** Records a 201 to {@code POST /sessions}; other answers are ignored. */
	boolean created(String code, Api.Reply reply) {
		if (!reply.is(201)) {
			return false;
		}
		UUID id = UUID.fromString(reply.json().get("sessionId").asString());
		Session previous = this.sessions.putIfAbsent(code, new Session(code, id));
		if (previous != null) {
			problem("code " + code + " created twice in one scenario: " + previous.id + " and " + id);
		}
		return true;
	}

	/**
	 * Records a 201 or 200 to an append of message {@code id}; an answer that contradicts an
	 * earlier one (another seq for the id, or other text at a seq) is a problem.
	 * @return whether the answer was an acknowledgement
	 */
	boolean appended(String code, String id, Api.Reply reply) {
		if (!reply.is(201) && !reply.is(200)) {
			return false;
		}
		Session session = this.sessions.get(code);
		if (session == null) {
			problem(code + ": append acknowledged for a session the ledger never saw created: " + reply.body());
			return true;
		}
		JsonNode json = reply.json();
		long seq = json.get("seq").asLong();
		if (!id.equals(json.get("id").asString())) {
			problem(code + ": appended id " + id + " but the answer is for " + reply.body());
		}
		Ack ack = new Ack(seq, id, reply.body(), System.currentTimeMillis());
		Ack earlier = session.bySeq.put(seq, ack);
		if (earlier != null && !earlier.stored.equals(ack.stored)) {
			// Two messages acknowledged at one seq: the earlier one was lost. The verifier
			// decides whether that loss is within what the scenario allows.
			session.superseded.add(earlier);
		}
		Long seqOfId = session.seqById.putIfAbsent(id, seq);
		if (seqOfId != null && seqOfId != seq) {
			problem(code + " id " + id + " acknowledged at seq " + seqOfId + " and at seq " + seq);
		}
		return true;
	}

	/** Records a 202 to {@code POST /sessions/{code}/end}. */
	boolean ended(String code, Api.Reply reply) {
		if (!reply.is(202)) {
			return false;
		}
		Session session = this.sessions.get(code);
		if (session != null) {
			session.endAcknowledged = true;
		}
		return true;
	}

	void fault() {
		this.faults.incrementAndGet();
	}

	int faults() {
		return this.faults.get();
	}

	void problem(String problem) {
		this.problems.add(problem);
	}

	List<String> problems() {
		synchronized (this.problems) {
			return List.copyOf(this.problems);
		}
	}

	Collection<Session> sessions() {
		return this.sessions.values();
	}

	Session session(String code) {
		return this.sessions.get(code);
	}

	int messageCount() {
		return this.sessions.values()
			.stream()
			.mapToInt((session) -> session.bySeq.size() + session.superseded.size())
			.sum();
	}

	/** One created session instance and the messages acknowledged in it. */
	static final class Session {

		final String code;

		final UUID id;

		final Map<Long, Ack> bySeq = new ConcurrentHashMap<>();

		final Map<String, Long> seqById = new ConcurrentHashMap<>();

		/** Acknowledged messages whose seq was later acknowledged for another message. */
		final List<Ack> superseded = new java.util.concurrent.CopyOnWriteArrayList<>();

		final long createdAtMillis = System.currentTimeMillis();

		volatile boolean endAcknowledged;

		Session(String code, UUID id) {
			this.code = code;
			this.id = id;
		}

	}

	/**
	 * One acknowledged message.
	 *
	 * @param seq its seq
	 * @param id its id
	 * @param stored the stored JSON text as the API returned it
	 * @param ackedAtMillis when the acknowledgement arrived
	 */
	record Ack(long seq, String id, String stored, long ackedAtMillis) {
	}

}
