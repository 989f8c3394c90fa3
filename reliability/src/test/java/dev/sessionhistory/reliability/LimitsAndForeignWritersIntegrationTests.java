package dev.sessionhistory.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.sessionhistory.model.RedisKeys.SessionRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 8b, of the bad-input family: data at the limits, and foreign writers' data
 * written straight into Redis. Scenario 8 is a property over thousands of independent
 * requests; this one is a single story whose steps depend on each other (a session filled
 * for a minute, read while it is archived, its id reused afterwards), so it is a class of
 * its own.
 * <ul>
 * <li>One session at the raised limits ({@code history.session.max-bytes=200MB}): messages
 * of about 16 KiB through the API by 4 clients, read with {@code limit=1000} while it is
 * archived and again afterwards; the pages must be cut by bytes and be the same live and
 * archived.</li>
 * <li>Redis' own figures: from the large session's end on, no command of the services in the
 * slow log (over 10 ms), and no reply of theirs over 8 MB
 * ({@code client-output-buffer-limit normal 8mb 8mb 0} would disconnect them). Redis' main
 * thread runs at real-time priority where that is allowed, so that what the slow log measures
 * is the commands, not the time Redis waited for a CPU on a busy machine.</li>
 * <li>Foreign writers: junk entries in a message list (served and archived as
 * {@code malformed}, never rewriting a page); 500 due members with upper-case session ids at
 * the head of the due index (set aside); create.lua with an upper-case id (refused); a session
 * id reused under another code (kept in Redis, the first archive unchanged).</li>
 * </ul>
 * All the while, 100 ordinary sessions come and go; every acknowledged session and message
 * must be archived exactly once, byte for byte.
 */
class LimitsAndForeignWritersIntegrationTests {

	static final String SCENARIO = "s8b-limits-and-foreign-writers";

	/** 4,000 messages (about 64 MB) by default; {@code -Pfull} sets the API's limit, 10,000 (160 MB). */
	static final int LARGE_MESSAGES = Integer.getInteger("reliability.large-session.messages", 10_000);

	/** The API's {@code history.message.max-count}, passed explicitly. */
	static final int MAX_COUNT = 10_000;

	static final int PAGE_LIMIT = 1000;

	/** The API's default {@code history.page.max-bytes}. */
	static final long PAGE_MAX_BYTES = 1024 * 1024;

	static final int UPPER_CASE_DUE_MEMBERS = 500;

	static final int ORDINARY_SESSIONS = 100;

	static final int SLOW_LOG_ENTRIES = 1000;

	private static Stack stack;

	private static TestRedis redis;

	private static boolean prioritised;

	@BeforeAll
	static void start() {
		Results.start(SCENARIO);
		stack = Stack.start(SCENARIO, Stack.Setup.standard()
			.withRedisArgs("--slowlog-log-slower-than", "10000", "--slowlog-max-len", String.valueOf(SLOW_LOG_ENTRIES),
					"--client-output-buffer-limit", "normal", "8mb", "8mb", "0")
			.withApiArgs("--history.message.max-count=" + MAX_COUNT, "--history.session.max-bytes=200MB"));
		redis = Cleanup.register(TestRedis.connect(stack.redis.url()));
		prioritised = TestRedis.raisePriority(stack.redis.port());
	}

	@AfterAll
	static void stop() {
		Cleanup.closeAll();
	}

	@Test
	void largeSessionsAndForeignDataAreArchivedAndServedUnchanged() {
		Ledger ledger = new Ledger();
		Api api = stack.client();
		ForeignWriter foreign = new ForeignWriter(redis, ledger);
		assertThat(redis.commands().configGet("client-output-buffer-limit").get("client-output-buffer-limit"))
			.contains("normal 8388608 8388608 0");

		foreign.writeJunkSession(api);
		String junkLive = foreign.junkPage(api, "active", "live");
		long fillStarted = System.nanoTime();
		LargeSession.fill(api, ledger, LARGE_MESSAGES, 4);
		double fillSeconds = seconds(fillStarted);
		if (LARGE_MESSAGES == MAX_COUNT) {
			LargeSession.checkFull(api, ledger);
		}
		report("slow log while the large session was filled (not asserted)", redis.slowLog(SLOW_LOG_ENTRIES));

		redis.resetSlowLog();
		long[] cpuAtEnd = TestRedis.cpuMillis(stack.redis.port());
		long writtenAt = System.currentTimeMillis();
		List<String> upperCase = foreign.writeUpperCaseDueMembers(UPPER_CASE_DUE_MEMBERS);
		foreign.createWithUpperCaseId();
		Traffic ordinary = Traffic.start(4, ORDINARY_SESSIONS,
				(i) -> Clients.session(api, ledger, "o" + i, 1, 5, i % 2 == 0));
		long ended = System.nanoTime();
		if (!Clients.end(api, ledger, LargeSession.CODE).is(202)) {
			ledger.problem("the end of " + LargeSession.CODE + " was not acknowledged");
		}
		HistoryPages live = HistoryPages.read(api, LargeSession.CODE, PAGE_LIMIT, PAGE_MAX_BYTES);
		double liveSeconds = seconds(ended);
		Clients.end(api, ledger, ForeignWriter.JUNK_CODE);
		ordinary.await(Duration.ofSeconds(120));
		int sessions = ledger.sessions().size();
		stack.archive.awaitCount((n) -> n >= sessions, Duration.ofSeconds(300));
		double archivedSeconds = seconds(ended);

		long read = System.nanoTime();
		HistoryPages archived = HistoryPages.read(api, LargeSession.CODE, PAGE_LIMIT, PAGE_MAX_BYTES);
		double archivedReadSeconds = seconds(read);
		LargeSession.compare(ledger, live, archived, LARGE_MESSAGES);
		String junkArchived = foreign.junkPage(api, "ended", "archive");
		if (junkLive != null && junkArchived != null && !fromTotal(junkLive).equals(fromTotal(junkArchived))) {
			ledger.problem("the junk session's page differs live and archived: " + JsonArrays.abbreviate(junkLive)
					+ " vs " + JsonArrays.abbreviate(junkArchived));
		}

		UUID junkId = ledger.session(ForeignWriter.JUNK_CODE).id;
		Archive.Row first = stack.archive.row(junkId);
		if (first != null) {
			SessionRef reused = foreign.reuseSessionId(junkId);
			double conflicts = awaitFailures("conflict", 1, Duration.ofSeconds(30));
			ServiceProcess.sleep(3000); // a sweep more, which must not purge it either
			foreign.checkKept(reused, first, stack.archive.row(junkId), conflicts);
		}
		foreign.checkSetAside(upperCase, writtenAt, failures("invalid-data"));

		checkRedisFigures(ledger, cpuAtEnd);

		System.out.printf(Locale.ROOT,
				"%s: large session of %d messages, %.1f MB: filled in %.1f s by 4 clients; %d pages read in %.1f s"
						+ " after its end (%d live, %d already archived); all archived %.1f s after its end;"
						+ " %d archived pages read in %.1f s%n",
				SCENARIO, LARGE_MESSAGES, LargeSession.bytes(ledger) / 1e6, fillSeconds, live.bodies.size(),
				liveSeconds, live.count("live"), live.count("archive"), archivedSeconds, archived.bodies.size(),
				archivedReadSeconds);
		Map<UUID, Archive.Row> rows = stack.archive.rows();
		Verdict verdict = Verifier.verify(SCENARIO, ledger, rows).report();
		verdict.assertClean();
		assertThat(rows).hasSize(sessions);
	}

	/**
	 * Since the slow log was reset: no command of the services over 10 ms, and no sign that
	 * Redis cut a connection of theirs for an output buffer over 8 MB (the worker would count
	 * {@code redis} failures; the API's reads are checked page by page).
	 */
	private static void checkRedisFigures(Ledger ledger, long[] cpuAtStart) {
		List<TestRedis.SlowEntry> slow = redis.slowLog(SLOW_LOG_ENTRIES);
		report("slow log from the large session's end on", slow);
		long[] cpu = TestRedis.cpuMillis(stack.redis.port());
		if (cpuAtStart != null && cpu != null) {
			System.out.printf(Locale.ROOT, "%s: meanwhile Redis' main thread (%s) ran %d ms, waited %d ms for a CPU%n",
					SCENARIO, prioritised ? "real-time" : "priority as started", cpu[0] - cpuAtStart[0],
					cpu[1] - cpuAtStart[1]);
		}
		slow.stream()
			.filter((entry) -> !entry.isTheScenarios())
			.forEach((entry) -> ledger.problem("a command of the system ran over 10 ms: " + entry));
		for (String reason : List.of("redis", "database")) {
			double failures = failures(reason);
			if (failures != 0) {
				ledger.problem("the worker counted " + failures + " archive failures for reason " + reason);
			}
		}
	}

	private static double failures(String reason) {
		return Metrics.sum(stack.worker().scrape(), "history_archive_failures_total", "reason=\"" + reason + "\"");
	}

	private static double awaitFailures(String reason, double expected, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		double value = failures(reason);
		while (value < expected && System.nanoTime() < deadline) {
			ServiceProcess.sleep(250);
			value = failures(reason);
		}
		return value;
	}

	/** A page from its total on: live and archived pages of one session differ before it. */
	private static String fromTotal(String page) {
		int at = page.indexOf(",\"total\":");
		return (at < 0) ? page : page.substring(at);
	}

	private static void report(String what, List<TestRedis.SlowEntry> entries) {
		long system = entries.stream().filter((entry) -> !entry.isTheScenarios()).count();
		System.out.printf(Locale.ROOT, "%s: %s: %d entries, %d of the system's%s%n", SCENARIO, what, entries.size(),
				system, entries.isEmpty() ? "" : "; " + entries.subList(0, Math.min(entries.size(), 10)));
	}

	private static double seconds(long startedNanos) {
		return (System.nanoTime() - startedNanos) / 1e9;
	}

}
