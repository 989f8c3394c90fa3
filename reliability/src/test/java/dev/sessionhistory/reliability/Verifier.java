package dev.sessionhistory.reliability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongPredicate;

import tools.jackson.databind.JsonNode;

/**
 * Checks a {@link Ledger} against the archive: every created session archived exactly
 * once, under its code; every acknowledged message in it at its seq, byte for byte; seqs
 * 1..n without gaps; no message id twice.
 */
final class Verifier {

	private final Ledger ledger;

	private final Map<UUID, Archive.Row> rows;

	private final LongPredicate mayBeLostAt;

	private final List<String> problems;

	private int lost;

	private int duplicated;

	private int allowed;

	private Verifier(Ledger ledger, Map<UUID, Archive.Row> rows, LongPredicate mayBeLostAt) {
		this.ledger = ledger;
		this.rows = rows;
		this.mayBeLostAt = mayBeLostAt;
		this.problems = new ArrayList<>(ledger.problems());
	}

	static Verdict verify(String scenario, Ledger ledger, Map<UUID, Archive.Row> rows) {
		return verify(scenario, ledger, rows, (time) -> false);
	}

	/**
	 * @param mayBeLostAt whether the scenario states that what was acknowledged at that
	 * epoch millisecond may be lost (counted apart, not as a failure)
	 */
	static Verdict verify(String scenario, Ledger ledger, Map<UUID, Archive.Row> rows, LongPredicate mayBeLostAt) {
		Verifier verifier = new Verifier(ledger, rows, mayBeLostAt);
		double maxLag = 0;
		for (Ledger.Session session : ledger.sessions()) {
			Archive.Row row = rows.get(session.id);
			if (row == null) {
				verifier.missing(session);
				continue;
			}
			maxLag = Math.max(maxLag, row.lagSeconds());
			verifier.check(session, row);
		}
		return new Verdict(scenario, ledger.sessions().size(), ledger.messageCount(), ledger.faults(), verifier.lost,
				verifier.duplicated, verifier.allowed, maxLag, verifier.problems);
	}

	private void missing(Ledger.Session session) {
		List<Ledger.Ack> acks = new ArrayList<>(session.bySeq.values());
		acks.addAll(session.superseded);
		boolean allowedLoss = this.mayBeLostAt.test(session.createdAtMillis)
				&& acks.stream().allMatch((ack) -> this.mayBeLostAt.test(ack.ackedAtMillis()));
		if (allowedLoss) {
			this.allowed += 1 + acks.size();
			return;
		}
		this.lost += 1 + acks.size();
		this.problems.add(session.code + " " + session.id + " is not in the archive (" + acks.size()
				+ " acknowledged messages)");
	}

	private void check(Ledger.Session session, Archive.Row row) {
		if (row.copies() != 1) {
			this.duplicated += row.copies() - 1;
			this.problems.add(session.code + " " + session.id + " archived " + row.copies() + " times");
		}
		if (!session.code.equals(row.code())) {
			this.lost++;
			this.problems.add(session.id + " archived under code " + row.code() + ", created as " + session.code);
		}
		List<String> elements;
		try {
			elements = JsonArrays.elements(row.messagesRaw());
		}
		catch (IllegalArgumentException ex) {
			this.lost += session.bySeq.size();
			this.problems.add(session.code + ": " + ex.getMessage());
			return;
		}
		checkSequence(session, elements, row);
		List<Ledger.Ack> acks = new ArrayList<>(session.bySeq.values());
		acks.addAll(session.superseded);
		for (Ledger.Ack ack : acks) {
			int index = (int) ack.seq() - 1;
			if (index < elements.size() && elements.get(index).equals(ack.stored())) {
				continue;
			}
			if (this.mayBeLostAt.test(ack.ackedAtMillis())) {
				this.allowed++;
				continue;
			}
			this.lost++;
			this.problems.add(session.code + " seq " + ack.seq() + " acknowledged as " + ack.stored()
					+ " but archived as "
					+ ((index < elements.size()) ? elements.get(index) : "nothing (" + elements.size() + " messages)"));
		}
	}

	/** Seqs must run 1..n and ids be unique (entries archived as malformed have none). */
	private void checkSequence(Ledger.Session session, List<String> elements, Archive.Row row) {
		if (row.messageCount() != elements.size()) {
			this.problems.add(session.code + ": message_count " + row.messageCount() + " but " + elements.size()
					+ " messages");
		}
		Map<String, Integer> seenIds = new HashMap<>();
		for (int i = 0; i < elements.size(); i++) {
			JsonNode message = Api.JSON.readTree(elements.get(i));
			if (message.path("seq").asLong() != i + 1) {
				this.problems.add(session.code + ": element " + i + " has seq " + message.path("seq") + ", expected "
						+ (i + 1));
			}
			if (message.path("malformed").asBoolean()) {
				// A foreign writer's entry the archive kept wrapped: it has no id to repeat.
				continue;
			}
			String id = message.path("id").asString();
			Integer earlier = seenIds.putIfAbsent(id, i + 1);
			if (earlier != null) {
				this.duplicated++;
				this.problems.add(session.code + ": id " + id + " archived at seq " + earlier + " and seq " + (i + 1));
			}
		}
	}

}
