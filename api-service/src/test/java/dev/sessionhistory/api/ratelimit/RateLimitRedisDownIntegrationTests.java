package dev.sessionhistory.api.ratelimit;

import java.time.Duration;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.RedisOfItsOwn;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.testsupport.PrivateRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With Redis gone, archived histories are still served and the limits still hold, counted
 * by the replica alone; once Redis is back, the buckets are shared in it again.
 */
@DirtiesContext
@TestPropertySource(properties = { "history.rate-limit.reads=3", "history.rate-limit.period=1m",
		"history.rate-limit.sync-interval=100ms", "server.forward-headers-strategy=native" })
class RateLimitRedisDownIntegrationTests extends AbstractApiIntegrationTests {

	@RegisterExtension
	static final RedisOfItsOwn servers = RedisOfItsOwn.start("ratedown");

	private static final PrivateRedis redisServer = servers.redis();

	@Autowired
	CallerBuckets buckets;

	@DynamicPropertySource
	static void servers(DynamicPropertyRegistry registry) {
		servers.register(registry);
	}

	@Test
	void archivedReadsAreServedAndLimitedLocallyUntilRedisIsBack() {
		String code = this.api.createSession("{\"code\":\"KEPT\"}");
		this.api.append(code, "{\"data\":\"kept\"}");
		UUID sessionId = this.api.sessionId(code);
		this.api.post("/sessions/KEPT/end");
		this.archiver.archive(code, sessionId);

		redisServer.stop();

		ApiClient reader = caller("203.0.113.1");
		for (int i = 0; i < 3; i++) {
			Response page = reader.get("/sessions/KEPT/history");
			assertThat(page.status()).as(page.text()).isEqualTo(200);
			assertThat(page.json().get("source").asString()).isEqualTo("archive");
		}
		assertThat(this.buckets.isLocal()).isTrue();
		Response refused = reader.get("/sessions/KEPT/history");
		assertThat(refused.status()).isEqualTo(429);
		assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 20L);
		assertThat(caller("203.0.113.2").get("/sessions/KEPT/history").status()).isEqualTo(200);

		redisServer.restart();
		await().atMost(Duration.ofSeconds(30)).until(() -> !this.buckets.isLocal());
		ApiClient later = caller("203.0.113.3");
		assertThat(later.get("/sessions/KEPT/history").status()).isEqualTo(200);
		String key = this.keys.rateLimit("user:" + user("203.0.113.3"), "read");
		await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.TRUE.equals(this.redis.hasKey(key)));
	}

	/** A caller of its own: an admin's token of its own (callers with a token are known by it), from its own address. */
	private ApiClient caller(String address) {
		return this.api.as(TestTokens.admin(user(address))).withHeader("X-Forwarded-For", address);
	}

	private static String user(String address) {
		return "caller-" + address.replace('.', '-');
	}

}
