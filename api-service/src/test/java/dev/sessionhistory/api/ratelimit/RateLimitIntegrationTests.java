package dev.sessionhistory.api.ratelimit;

import java.time.Duration;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.testsupport.RealServers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Budgets per caller against real Redis: small budgets refilled over a short period, and
 * callers told apart by their tokens (each calls with a token of its own, as callers with a
 * token are known by it) and addresses ({@code X-Forwarded-For}, taken by Tomcat from a
 * trusted proxy, the test on 127.0.0.1, as {@code server.forward-headers-strategy} tells it).
 */
@RealServers
@TestPropertySource(properties = { "history.rate-limit.creates=3", "history.rate-limit.appends=3",
		"history.rate-limit.reads=3", "history.rate-limit.not-found=2", "history.rate-limit.period=3s",
		"history.rate-limit.sync-interval=100ms", "server.forward-headers-strategy=native" })
class RateLimitIntegrationTests extends AbstractApiIntegrationTests {

	@Autowired
	MeterRegistry registry;

	@Test
	void readsBeyondTheBudgetAre429WithRetryAfterUntilTheBudgetRefills() {
		ApiClient caller = caller("198.51.100.1");
		String code = caller.createSession("{}");
		for (int i = 0; i < 3; i++) {
			assertThat(caller.get("/sessions/" + code).status()).isEqualTo(200);
		}
		double rejectedBefore = rejected("read");

		Response refused = caller.get("/sessions/" + code);

		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.header("Retry-After")).isEqualTo("1");
		assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
		JsonNode problem = refused.json();
		assertThat(problem.get("status").asInt()).isEqualTo(429);
		assertThat(problem.get("title").asString()).isEqualTo("Too Many Requests");
		assertThat(problem.get("detail").asString()).contains("read requests", "history.rate-limit.reads");
		assertThat(problem.get("instance").asString()).isEqualTo("/sessions/" + code);
		assertThat(rejected("read")).isEqualTo(rejectedBefore + 1);
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> caller.get("/sessions/" + code).status() == 200);
		// shared with the other replicas through Redis, in a key that expires
		String key = this.keys.rateLimit("user:" + user("198.51.100.1"), "read");
		await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.TRUE.equals(this.redis.hasKey(key)));
		assertThat(this.redis.getExpire(key)).isPositive();
	}

	@Test
	void budgetsArePerCallerAndPerKindOfRequest() {
		ApiClient first = caller("198.51.100.2");
		ApiClient second = caller("198.51.100.3");
		String code = first.createSession("{}");
		for (int i = 0; i < 3; i++) {
			assertThat(first.get("/sessions/" + code + "/history").status()).isEqualTo(200);
		}
		assertThat(first.get("/sessions/" + code + "/history").status()).isEqualTo(429);

		assertThat(second.get("/sessions/" + code + "/history").status()).isEqualTo(200);
		assertThat(first.append(code, "{\"data\":1}").status()).isEqualTo(201);
		assertThat(first.get("/actuator/health").status()).isEqualTo(200);
		assertThat(first.get("/v3/api-docs").status()).isEqualTo(200);
	}

	@Test
	void unknownCodesUseUpTheNotFoundBudgetAndThenEveryPathIs429() {
		String code = caller("198.51.100.4").createSession("{}");
		ApiClient guesser = caller("198.51.100.5");
		assertThat(guesser.get("/sessions/GUESS1").status()).isEqualTo(404);
		assertThat(guesser.append("GUESS2", "{\"data\":1}").status()).isEqualTo(404);

		Response read = guesser.get("/sessions/" + code);
		assertThat(read.status()).isEqualTo(429);
		assertThat(read.header("Retry-After")).isIn("1", "2");
		assertThat(read.json().get("detail").asString()).contains("404", "history.rate-limit.not-found");
		assertThat(guesser.append(code, "{\"data\":1}").status()).isEqualTo(429);
		assertThat(guesser.post("/sessions/" + code + "/end").status()).isEqualTo(429);
		assertThat(guesser.post("/sessions").status()).isEqualTo(429);
		assertThat(guesser.get("/actuator/health").status()).isEqualTo(200);
		assertThat(caller("198.51.100.6").get("/sessions/" + code).status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> guesser.get("/sessions/" + code).status() == 200);
	}

	@Test
	void aTakenChosenCodeCountsAgainstTheNotFoundBudget() {
		caller("198.51.100.7").createSession("{\"code\":\"TAKEN-7\"}");
		ApiClient guesser = caller("198.51.100.8");
		assertThat(guesser.postJson("/sessions", "{\"code\":\"TAKEN-7\"}").status()).isEqualTo(409);
		assertThat(guesser.postJson("/sessions", "{\"code\":\"TAKEN-7\"}").status()).isEqualTo(409);

		Response refused = guesser.postJson("/sessions", "{\"code\":\"FREE-8\"}");

		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.json().get("detail").asString()).contains("history.rate-limit.not-found");
		assertThat(guesser.get("/sessions/TAKEN-7").status()).isEqualTo(429);
		assertThat(this.redis.hasKey(this.keys.live("FREE-8"))).isFalse();
	}

	@Test
	void createsHaveABudgetOfTheirOwn() {
		ApiClient caller = caller("198.51.100.9");
		for (int i = 0; i < 3; i++) {
			assertThat(caller.post("/sessions").status()).isEqualTo(201);
		}
		Response refused = caller.post("/sessions");
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.json().get("detail").asString()).contains("history.rate-limit.creates");
	}

	/** A caller of its own: an admin's token of its own (callers with a token are known by it), from its own address. */
	private ApiClient caller(String address) {
		return this.api.as(TestTokens.admin(user(address))).withHeader("X-Forwarded-For", address);
	}

	private static String user(String address) {
		return "caller-" + address.replace('.', '-');
	}

	private double rejected(String budget) {
		return this.registry.counter("history.rate-limit.rejected", "budget", budget).count();
	}

}
