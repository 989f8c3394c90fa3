package dev.sessionhistory.reliability;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 8: bad input, property-based. A few thousand generated requests (random codes,
 * query strings, methods, content types, Accept headers; bodies huge, truncated, nested
 * 10,000 deep, invalid UTF-8, cut short on the wire), each with the token a real client
 * would send, against the running API: never a 5xx, every error as
 * {@code application/problem+json}, nothing the contract calls invalid accepted, and never
 * a partial write: afterwards Redis holds exactly the sessions and messages that were
 * acknowledged, and the archive holds them byte for byte.
 */
class BadInputIntegrationTests {

	static final String SCENARIO = "s8-bad-input";

	static final List<String> LIVE = List.of("f0", "f1", "f2");

	private static final Pattern KEY_CODE = Pattern.compile("^" + Stack.KEY_PREFIX + ":\\{([^}]*)\\}:");

	private static Stack stack;

	private static Ledger ledger;

	private static Api api;

	private static final Map<String, String> VIOLATIONS = new java.util.concurrent.ConcurrentSkipListMap<>();

	private static final Map<String, Integer> COUNTS = new java.util.concurrent.ConcurrentHashMap<>();

	private static final Map<String, Set<String>> INPUTS = new java.util.concurrent.ConcurrentHashMap<>();

	@BeforeContainer
	static void start() {
		Results.start(SCENARIO);
		stack = Stack.start(SCENARIO, Stack.Setup.standard());
		ledger = new Ledger();
		api = stack.client();
		LIVE.forEach((code) -> assertThat(Clients.create(api, ledger, code, 600)).isTrue());
	}

	@AfterContainer
	static void stop() {
		Cleanup.closeAll();
	}

	@Provide
	Arbitrary<BadRequest> requests() {
		return BadRequests.any(LIVE);
	}

	/**
	 * Checks one request. A violation is recorded, not thrown, so that one run reports every
	 * kind of violation with an example; {@link #nothingBrokeAndNothingWasWrittenHalfway()}
	 * fails the run with all of them.
	 */
	@Property(tries = 2500)
	void badInputGetsAProblemAnswerAndChangesNothing(@ForAll("requests") BadRequest request) throws IOException {
		ledger.fault();
		RawHttp.Answer answer = RawHttp.send(stack.api.port(), request.withHeader("Authorization", "Bearer " + token(request)));
		if (answer == null) {
			if (request.shortBy() == 0) {
				violation("no answer", request, null);
			}
			return;
		}
		if (answer.status() >= 500) {
			violation("status " + answer.status(), request, answer);
		}
		if (answer.status() >= 400 && !answer.contentType().startsWith("application/problem+json")) {
			violation(answer.status() + " as " + answer.contentType(), request, answer);
		}
		else if (answer.status() >= 400 && !statusInBodyMatches(answer)) {
			violation(answer.status() + " with another status in the problem", request, answer);
		}
		if (request.mustReject() && answer.status() < 400) {
			// One entry per input kind: each is its own defect to reproduce.
			violation("invalid input accepted with " + answer.status() + ": " + request.kind(), request, answer);
		}
		Api.Reply reply = new Api.Reply(answer.status(), answer.contentType(), answer.body());
		if (request.isAppend() && (answer.status() == 201 || answer.status() == 200)) {
			ledger.appended(request.pathCode(), reply.json().path("id").asString(), reply);
		}
		if (request.isCreate() && answer.status() == 201) {
			ledger.created(reply.json().path("code").asString(), reply);
			api.remember(reply);
		}
	}

	/**
	 * The token a real client would send: a user's to create, a session's own to call its
	 * code; other codes are called as an admin, whom access control lets through to the
	 * checks of the input.
	 */
	private static String token(BadRequest request) {
		if (request.isCreate()) {
			return api.userToken();
		}
		String own = api.sessionToken(request.pathCode());
		return (own != null) ? own : api.adminToken();
	}

	@AfterProperty
	void nothingBrokeAndNothingWasWrittenHalfway() {
		VIOLATIONS.forEach((kind, example) -> ledger.problem(COUNTS.get(kind) + " x " + kind + " (inputs: "
				+ INPUTS.get(kind) + "), e.g. " + example));
		Set<String> stray = strayCodes();
		if (!stray.isEmpty()) {
			ledger.problem("sessions in Redis that no 201 created: " + stray);
		}
		for (Ledger.Session session : ledger.sessions()) {
			Api.Reply reply = Clients.end(api, ledger, session.code);
			if (!reply.is(202) && !reply.is(409)) {
				ledger.problem("end of " + session.code + " answered " + reply);
			}
		}
		int sessions = ledger.sessions().size();
		stack.archive.awaitCount((n) -> n >= sessions, Duration.ofSeconds(60));
		Map<UUID, Archive.Row> rows = stack.archive.rows();
		for (Ledger.Session session : ledger.sessions()) {
			Archive.Row row = rows.get(session.id);
			if (row != null && row.messageCount() != session.bySeq.size()) {
				ledger.problem(session.code + ": " + row.messageCount() + " messages archived, "
						+ session.bySeq.size() + " acknowledged");
			}
		}
		Verdict verdict = Verifier.verify(SCENARIO, ledger, rows).report();
		verdict.assertClean();
		assertThat(rows).hasSize(sessions);
	}

	/** Records a violation under its kind, keeping the first example and the inputs it hit. */
	private static void violation(String kind, BadRequest request, RawHttp.Answer answer) {
		COUNTS.merge(kind, 1, Integer::sum);
		INPUTS.computeIfAbsent(kind, (key) -> new java.util.concurrent.ConcurrentSkipListSet<>()).add(request.kind());
		VIOLATIONS.putIfAbsent(kind, request + " -> "
				+ ((answer != null) ? answer.status() + " " + answer.contentType() + " " + JsonArrays.abbreviate(answer.body())
						: "nothing"));
	}

	private static boolean statusInBodyMatches(RawHttp.Answer answer) {
		try {
			return Api.JSON.readTree(answer.body()).path("status").asInt() == answer.status();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/** Codes that have keys in Redis but were never acknowledged as created. */
	private static Set<String> strayCodes() {
		RedisClient client = RedisClient.create(stack.redis.url());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			Set<String> known = ledger.sessions().stream().map((session) -> session.code).collect(Collectors.toSet());
			return connection.sync()
				.keys(Stack.KEY_PREFIX + ":{*")
				.stream()
				.map(KEY_CODE::matcher)
				.filter(Matcher::find)
				.map((matcher) -> matcher.group(1))
				.filter((code) -> !known.contains(code))
				.collect(Collectors.toSet());
		}
		finally {
			client.shutdown();
		}
	}

}
