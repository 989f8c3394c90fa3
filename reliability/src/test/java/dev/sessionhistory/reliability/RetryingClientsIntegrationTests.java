package dev.sessionhistory.reliability;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 6: clients that retry. One append in five is sent twice with the same id: a
 * third right after the first answer, a third as two concurrent requests, a third after
 * the client gave up waiting (a 5 ms timeout) on the first. The retry of an acknowledged
 * message must answer 200 with the original stored message, byte for byte, and the
 * archive must hold every message once, at seqs without gaps.
 * <p>
 * Long: runs with {@code -Pfull} only (see the module's README).
 */
@Tag("full")
class RetryingClientsIntegrationTests {

	static final String SCENARIO = "s6-retrying-clients";

	static final int SESSIONS = 300;

	static final int MESSAGES_PER_SESSION = 10;

	private static Stack stack;

	private static ExecutorService racers;

	@BeforeAll
	static void start() {
		Results.start(SCENARIO);
		stack = Stack.start(SCENARIO, Stack.Setup.standard());
		racers = Executors.newFixedThreadPool(8, (runnable) -> {
			Thread thread = new Thread(runnable, "racer");
			thread.setDaemon(true);
			return thread;
		});
	}

	@AfterAll
	static void stop() {
		if (racers != null) {
			racers.shutdownNow();
		}
		Cleanup.closeAll();
	}

	@Test
	void retriedAppendsAreStoredOnceAndAnsweredWithTheOriginal() {
		Ledger ledger = new Ledger();
		Api api = stack.client();
		Traffic traffic = Traffic.start(6, SESSIONS, (s) -> {
			String code = "d" + s;
			if (!Clients.create(api, ledger, code, 30)) {
				return;
			}
			for (int m = 1; m <= MESSAGES_PER_SESSION; m++) {
				String id = code + "-m" + m;
				String data = Payloads.data(m);
				int n = s * MESSAGES_PER_SESSION + m;
				switch (n % 15) {
					case 0 -> sequentialRetry(api, ledger, code, id, data);
					case 5 -> concurrentRetry(api, ledger, code, id, data);
					case 10 -> retryAfterTimeout(api, ledger, code, id, data);
					default -> Clients.append(api, ledger, code, id, data);
				}
			}
			Clients.end(api, ledger, code);
		});
		traffic.await(Duration.ofSeconds(180));
		int archived = stack.archive.awaitCount((n) -> n >= SESSIONS, Duration.ofSeconds(60));

		Verdict verdict = Verifier.verify(SCENARIO, ledger, stack.archive.rows()).report();
		verdict.assertClean();
		assertThat(archived).isEqualTo(SESSIONS);
		assertThat(ledger.messageCount()).as("every message acknowledged once").isEqualTo(SESSIONS * MESSAGES_PER_SESSION);
		assertThat(stack.archive.rows().values()).allMatch((row) -> row.messageCount() == MESSAGES_PER_SESSION);
	}

	private static void sequentialRetry(Api api, Ledger ledger, String code, String id, String data) {
		Api.Reply first = Clients.append(api, ledger, code, id, data);
		Api.Reply retry = api.append(code, id, data);
		ledger.fault();
		ledger.appended(code, id, retry);
		if (!first.is(201) || !retry.is(200) || !retry.body().equals(first.body())) {
			ledger.problem(code + " " + id + ": first " + first + ", retry " + retry
					+ "; expected 201 then 200 with the same body");
		}
	}

	private static void concurrentRetry(Api api, Ledger ledger, String code, String id, String data) {
		CompletableFuture<Api.Reply> one = CompletableFuture.supplyAsync(() -> api.append(code, id, data), racers);
		CompletableFuture<Api.Reply> two = CompletableFuture.supplyAsync(() -> api.append(code, id, data), racers);
		Api.Reply a = one.join();
		Api.Reply b = two.join();
		ledger.fault();
		ledger.appended(code, id, a);
		ledger.appended(code, id, b);
		boolean oneCreatedOneRepeated = (a.is(201) && b.is(200)) || (a.is(200) && b.is(201));
		if (!oneCreatedOneRepeated || !a.body().equals(b.body())) {
			ledger.problem(code + " " + id + ": concurrent answers " + a + " and " + b
					+ "; expected one 201 and one 200 with the same body");
		}
	}

	private static void retryAfterTimeout(Api api, Ledger ledger, String code, String id, String data) {
		Api.Reply first = api.appendGivingUpAfter(code, id, data, Duration.ofMillis(5));
		ledger.appended(code, id, first);
		ledger.fault();
		Api.Reply retry = Clients.append(api, ledger, code, id, data);
		if (!retry.is(201) && !retry.is(200)) {
			ledger.problem(code + " " + id + ": retry after a timeout answered " + retry);
		}
	}

}
