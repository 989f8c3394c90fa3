package dev.sessionhistory.reliability;

import java.util.function.Supplier;

/**
 * How the scenarios' clients behave: a well-behaved client retries a request that got no
 * answer or a 5xx, with the same message id, a few times; it never invents a second id for
 * the same message. Everything acknowledged goes into the {@link Ledger}.
 */
final class Clients {

	static final int ATTEMPTS = 8;

	private Clients() {
	}

	/**
	 * Creates session {@code code}, appends {@code messages} messages, then ends it when
	 * {@code end} is set (else it expires after {@code ttlSeconds} of silence).
	 * @return whether the session was created
	 */
	static boolean session(Api api, Ledger ledger, String code, int ttlSeconds, int messages, boolean end) {
		if (!create(api, ledger, code, ttlSeconds)) {
			return false;
		}
		for (int m = 1; m <= messages; m++) {
			append(api, ledger, code, code + "-m" + m, Payloads.data(m));
		}
		if (end) {
			end(api, ledger, code);
		}
		return true;
	}

	/**
	 * Creates {@code sessions} sessions {@code PREFIX0}, {@code PREFIX1}… (idle TTL
	 * {@code ttlSeconds}), then starts appends to them round robin, {@code perSession} each, a
	 * pause of {@code pauseMillis} after each on each of 6 threads: constant traffic that a
	 * fault can fall into.
	 * @return the appends under way
	 */
	static Traffic constantAppends(Api api, Ledger ledger, String prefix, int sessions, int perSession, int ttlSeconds,
			long pauseMillis) {
		Traffic creates = Traffic.start(4, sessions, (i) -> create(api, ledger, prefix + i, ttlSeconds));
		creates.await(java.time.Duration.ofSeconds(60));
		return Traffic.start(6, sessions * perSession, (i) -> {
			String code = prefix + (i % sessions);
			if (ledger.session(code) != null) {
				append(api, ledger, code, code + "-m" + (i / sessions), Payloads.data(i));
			}
			ServiceProcess.sleep(pauseMillis);
		});
	}

	static boolean create(Api api, Ledger ledger, String code, int ttlSeconds) {
		for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
			Api.Reply reply = api.createSession(code, ttlSeconds);
			if (ledger.created(code, reply)) {
				return true;
			}
			if (reply.is(409) && attempt > 1) {
				// An earlier attempt may have created it without an answer reaching us, nor the
				// session's access token: an admin confirms the session and mints one.
				return ledger.created(code, asCreated(api.get("/sessions/" + code))) && api.recoverToken(code);
			}
			if (!transientFailure(reply)) {
				return false;
			}
			pause(attempt);
		}
		return false;
	}

	/** @return the acknowledged reply, or the last one when none was */
	static Api.Reply append(Api api, Ledger ledger, String code, String id, String data) {
		return retry(() -> api.append(code, id, data), (reply) -> ledger.appended(code, id, reply));
	}

	static Api.Reply end(Api api, Ledger ledger, String code) {
		return retry(() -> api.end(code), (reply) -> ledger.ended(code, reply));
	}

	/**
	 * Erases an instance the client created, as its owner or as the admin, retrying a 503 or
	 * no answer (a repeated erasure is 204 for both); every answer is counted.
	 * @return the last answer
	 */
	static Api.Reply erase(Api api, ErasureLedger erasures, Ledger.Session session, ErasureLedger.Stage stage,
			boolean asAdmin) {
		Api.Reply last = retry(
				() -> erasures.answered(api.erase(session.code, session.id, "reliability " + stage, asAdmin)),
				(reply) -> reply.is(204));
		erasures.erased(session, stage, last);
		return last;
	}

	static boolean transientFailure(Api.Reply reply) {
		return reply.status() == -1 || reply.status() >= 500;
	}

	private static Api.Reply retry(Supplier<Api.Reply> call, java.util.function.Predicate<Api.Reply> acknowledged) {
		Api.Reply reply = null;
		for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
			reply = call.get();
			if (acknowledged.test(reply) || !transientFailure(reply)) {
				return reply;
			}
			pause(attempt);
		}
		return reply;
	}

	/** A GET of a live session that this client created counts as the 201 it missed. */
	private static Api.Reply asCreated(Api.Reply reply) {
		return reply.is(200) ? new Api.Reply(201, reply.contentType(), reply.body()) : reply;
	}

	private static void pause(int attempt) {
		ServiceProcess.sleep(Math.min(2000, 100L << Math.min(attempt, 5)));
	}

}
