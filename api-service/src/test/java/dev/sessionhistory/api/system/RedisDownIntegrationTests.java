package dev.sessionhistory.api.system;

import java.time.Duration;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.RedisOfItsOwn;
import dev.sessionhistory.testsupport.PrivateRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With Redis gone, archives are still served from PostgreSQL and everything that needs
 * Redis answers 503 with Retry-After, quickly; once Redis is back, so is the service.
 */
@DirtiesContext
class RedisDownIntegrationTests extends AbstractApiIntegrationTests {

	@RegisterExtension
	static final RedisOfItsOwn servers = RedisOfItsOwn.start("redisdown");

	private static final PrivateRedis redisServer = servers.redis();

	@DynamicPropertySource
	static void servers(DynamicPropertyRegistry registry) {
		servers.register(registry);
	}

	@Test
	void archivesAreStillServedAndRedisCallsAnswer503UntilRedisIsBack() {
		String archivedCode = this.api.createSession("{\"code\":\"ARCHIVED\"}");
		this.api.append(archivedCode, "{\"data\":\"kept\"}");
		UUID archivedId = this.api.sessionId("ARCHIVED");
		this.api.post("/sessions/ARCHIVED/end");
		this.archiver.archive(archivedCode, archivedId);
		String liveCode = this.api.createSession("{\"code\":\"LIVE\"}");
		this.api.append(liveCode, "{\"data\":\"only in redis\"}");

		redisServer.stop();

		Response latest = this.api.get("/sessions/ARCHIVED/history");
		assertThat(latest.status()).isEqualTo(200);
		assertThat(latest.json().get("source").asString()).isEqualTo("archive");
		assertThat(latest.json().get("messages").get(0).get("data").asString()).isEqualTo("kept");
		Response byId = this.api.get("/sessions/ARCHIVED/history?sessionId=" + archivedId);
		assertThat(byId.status()).isEqualTo(200);
		assertThat(byId.body()).isEqualTo(latest.body());
		assertThat(this.api.get("/sessions/ARCHIVED").json().get("status").asString()).isEqualTo("ended");
		assertThat(this.api.get("/sessions/ARCHIVED/archives").json().size()).isEqualTo(1);

		long started = System.nanoTime();
		assertUnavailable(this.api.get("/sessions/LIVE/history"), "Redis");
		assertUnavailable(this.api.append(liveCode, "{\"data\":1}"), "Redis");
		assertUnavailable(this.api.post("/sessions/LIVE/end"), "Redis");
		assertUnavailable(this.api.get("/sessions/LIVE"), "Redis");
		assertUnavailable(this.api.postJson("/sessions", "{}"), "Redis");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

		Response health = this.management.get("/actuator/health");
		assertThat(health.status()).isEqualTo(503);
		JsonNode components = health.json().get("components");
		assertThat(components.get("redis").get("status").asString()).isEqualTo("DOWN");
		assertThat(components.get("db").get("status").asString()).isEqualTo("UP");

		redisServer.restart();
		assertThat(await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.api.postJson("/sessions", "{}").status(), (status) -> status == 201)).isEqualTo(201);
		assertThat(this.management.get("/actuator/health").status()).isEqualTo(200);
		assertThat(this.api.anonymous().get("/actuator/health").text()).isEqualTo("{\"status\":\"UP\"}");
	}

}
