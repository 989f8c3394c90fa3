package dev.sessionhistory.api.system;

import java.time.Duration;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.testsupport.Isolation;
import dev.sessionhistory.testsupport.PrivatePostgres;
import dev.sessionhistory.testsupport.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With PostgreSQL gone, live histories and writes keep working; what needs an archive
 * answers 503 with Retry-After until PostgreSQL is back.
 */
@DirtiesContext
class PostgresDownIntegrationTests extends AbstractApiIntegrationTests {

	private static final PrivatePostgres postgresServer = PrivatePostgres.start();

	private static final String KEY_PREFIX = "tpgdown" + UUID.randomUUID().toString().substring(0, 8);

	@DynamicPropertySource
	static void servers(DynamicPropertyRegistry registry) {
		postgresServer.createDatabase("history");
		registry.add("spring.datasource.url", () -> postgresServer.jdbcUrl("history"));
		registry.add("spring.datasource.username", () -> "postgres");
		registry.add("spring.datasource.password", () -> "");
		TestServers.get().redisProperties().forEach((name, value) -> registry.add(name, () -> value));
		registry.add("history.key-prefix", () -> KEY_PREFIX);
	}

	@AfterAll
	static void cleanUp() {
		postgresServer.close();
		TestServers.get().deleteKeys(KEY_PREFIX);
	}

	@Test
	void liveHistoriesAndWritesWorkAndArchivesAnswer503UntilPostgresIsBack() {
		this.api.createSession("{\"code\":\"OLD\"}");
		UUID archivedId = this.api.sessionId("OLD");
		this.api.append("OLD", "{\"data\":\"archived\"}");
		this.api.post("/sessions/OLD/end");
		this.archiver.archive("OLD", archivedId);
		this.api.createSession("{\"code\":\"LIVE\"}");
		this.api.append("LIVE", "{\"data\":1}");

		postgresServer.stop();

		assertThat(this.api.append("LIVE", "{\"data\":2}").status()).isEqualTo(201);
		Response history = this.api.get("/sessions/LIVE/history");
		assertThat(history.status()).isEqualTo(200);
		assertThat(history.json().get("total").asInt()).isEqualTo(2);
		assertThat(this.api.get("/sessions/LIVE").status()).isEqualTo(200);
		assertThat(this.api.postJson("/sessions", "{\"code\":\"FRESH\"}").status()).isEqualTo(201);
		assertThat(this.api.append("FRESH", "{\"data\":\"x\"}").status()).isEqualTo(201);
		assertThat(this.api.post("/sessions/LIVE/end").status()).isEqualTo(202);
		JsonNode ended = this.api.get("/sessions/LIVE/history").json();
		assertThat(ended.get("source").asString()).isEqualTo("live");
		assertThat(ended.get("status").asString()).isEqualTo("ended");

		assertUnavailable(this.api.get("/sessions/OLD/history?sessionId=" + archivedId), "PostgreSQL");
		assertUnavailable(this.api.get("/sessions/OLD/history"), "PostgreSQL");
		assertUnavailable(this.api.get("/sessions/OLD/archives"), "PostgreSQL");
		assertUnavailable(this.api.append("OLD", "{\"data\":1}"), "PostgreSQL");

		Response health = this.management.get("/actuator/health");
		assertThat(health.status()).isEqualTo(503);
		JsonNode components = health.json().get("components");
		assertThat(components.get("db").get("status").asString()).isEqualTo("DOWN");
		assertThat(components.get("redis").get("status").asString()).isEqualTo("UP");

		postgresServer.restart();
		Response archived = await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.api.get("/sessions/OLD/history?sessionId=" + archivedId),
					(response) -> response.status() == 200);
		assertThat(archived.status()).isEqualTo(200);
		assertThat(archived.json().get("source").asString()).isEqualTo("archive");
	}

}
