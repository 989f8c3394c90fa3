package dev.sessionhistory.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A session filled to the size the scenario raised the API's limits to, through the API by
 * a few concurrent clients, with messages of about 16 KiB (the largest request body is
 * 16 KiB), and the comparison of its pages read live with its pages read archived.
 */
final class LargeSession {

	static final String CODE = "large";

	/** Characters of each message's text: its request body stays just under 16 KiB. */
	private static final int TEXT_LENGTH = 16_200;

	private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?-";

	private LargeSession() {
	}

	/** Creates the session and appends {@code messages} messages on {@code clients} threads. */
	static void fill(Api api, Ledger ledger, int messages, int clients) {
		if (!Clients.create(api, ledger, CODE, 600)) {
			ledger.problem("could not create " + CODE);
			return;
		}
		Traffic.start(clients, messages, (i) -> {
			String id = CODE + "-m" + (i + 1);
			Api.Reply reply = Clients.append(api, ledger, CODE, id, data(i + 1));
			if (!reply.is(201) && !reply.is(200)) {
				ledger.problem(CODE + ": append of " + id + " answered " + reply.status() + " "
						+ JsonArrays.abbreviate(reply.body()));
			}
		}).await(Duration.ofMinutes(15));
	}

	/** At the API's message limit, one more append must be a 422 that stores nothing. */
	static void checkFull(Api api, Ledger ledger) {
		Api.Reply reply = api.append(CODE, CODE + "-over", data(0));
		if (!reply.is(422) || ledger.appended(CODE, CODE + "-over", reply)) {
			ledger.problem(CODE + ": an append beyond the message limit answered " + reply.status() + " "
					+ JsonArrays.abbreviate(reply.body()));
		}
	}

	/** Bytes of the stored messages, as acknowledged. */
	static long bytes(Ledger ledger) {
		return ledger.session(CODE).bySeq.values().stream().mapToLong((ack) -> ack.stored().length()).sum();
	}

	/** {@code {"n":n,"text":"…"}}, the text random but the same for the same n. */
	static String data(int n) {
		Random random = new Random(n);
		StringBuilder text = new StringBuilder(TEXT_LENGTH + 32).append("{\"n\":").append(n).append(",\"text\":\"");
		for (int i = 0; i < TEXT_LENGTH; i++) {
			text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
		}
		return text.append("\"}").toString();
	}

	/**
	 * The pages read live and archived must be cut alike (the same queries, as each cursor
	 * comes from the page before) and be byte for byte the same apart from their source; page
	 * 1 and the last page must have been read live; the archived pages must hold every
	 * acknowledged message at its seq, byte for byte.
	 */
	static void compare(Ledger ledger, HistoryPages live, HistoryPages archived, int messages) {
		live.failures.forEach((failure) -> ledger.problem("live read of " + CODE + ": " + failure));
		archived.failures.forEach((failure) -> ledger.problem("archived read of " + CODE + ": " + failure));
		if (!"live".equals(live.sources.get(HistoryPages.FIRST)) || !"live".equals(live.sources.get(HistoryPages.LAST))) {
			ledger.problem(CODE + ": page 1 and the last page should have been read live, were "
					+ live.sources.get(HistoryPages.FIRST) + " and " + live.sources.get(HistoryPages.LAST));
		}
		if (archived.count("archive") != archived.bodies.size()) {
			ledger.problem(CODE + ": " + (archived.bodies.size() - archived.count("archive")) + " of "
					+ archived.bodies.size() + " pages read after archiving did not come from the archive");
		}
		if (!live.bodies.keySet().equals(archived.bodies.keySet())) {
			ledger.problem(CODE + ": live and archived pages are cut differently: " + live.bodies.size()
					+ " pages live, " + archived.bodies.size() + " archived");
		}
		live.bodies.forEach((query, body) -> {
			String other = archived.bodies.get(query);
			String expected = asArchived(body);
			if (other != null && !other.equals(expected)) {
				ledger.problem(CODE + " page " + query + " differs live and archived " + difference(expected, other));
			}
		});
		Map<Long, String> bySeq = archived.messagesBySeq();
		if (bySeq.size() != messages) {
			ledger.problem(CODE + ": the archived pages hold " + bySeq.size() + " messages, not " + messages);
		}
		List<Long> wrong = ledger.session(CODE)
			.bySeq
			.values()
			.stream()
			.filter((ack) -> !ack.stored().equals(bySeq.get(ack.seq())))
			.map(Ledger.Ack::seq)
			.sorted()
			.toList();
		if (!wrong.isEmpty()) {
			ledger.problem(CODE + ": " + wrong.size() + " acknowledged messages are not in the archived pages as"
					+ " acknowledged, e.g. seqs " + wrong.subList(0, Math.min(wrong.size(), 10)));
		}
	}

	/** A live page as the archive serves it: only its source says otherwise. */
	private static String asArchived(String livePage) {
		String live = "\"source\":\"live\"";
		int at = livePage.indexOf(live);
		return (at < 0) ? livePage
				: livePage.substring(0, at) + "\"source\":\"archive\"" + livePage.substring(at + live.length());
	}

	private static String difference(String expected, String actual) {
		int at = 0;
		while (at < Math.min(expected.length(), actual.length()) && expected.charAt(at) == actual.charAt(at)) {
			at++;
		}
		int from = Math.max(0, at - 60);
		return "at char " + at + " of " + expected.length() + "/" + actual.length() + ": live …"
				+ expected.substring(from, Math.min(expected.length(), at + 60)) + "… archived …"
				+ actual.substring(from, Math.min(actual.length(), at + 60)) + "…";
	}

}
