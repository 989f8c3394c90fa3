package dev.sessionhistory.api.system;

import java.time.Duration;
import java.util.UUID;

import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.archive.ArchiverStandIn;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.testsupport.Isolation;
import dev.sessionhistory.testsupport.PrivatePostgres;
import dev.sessionhistory.testsupport.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With PostgreSQL gone, live histories and writes keep working; what needs an archive
 * answers 503 with Retry-After until PostgreSQL is back.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PostgresDownIntegrationTests {

	private static final PrivatePostgres postgresServer = PrivatePostgres.start();

	private static final String KEY_PREFIX = "tpgdown" + UUID.randomUUID().toString().substring(0, 8);

	@LocalServerPort
	int port;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	RedisKeys keys;

	@DynamicPropertySource
	static void servers(DynamicPropertyRegistry registry) {
		postgresServer.createDatabase("history");
		registry.add("spring.datasource.url", () -> postgresServer.jdbcUrl("history"));
		registry.add("spring.datasource.username", () -> "postgres");
		registry.add("spring.datasource.password", () -> "");
		registry.add("spring.data.redis.url", () -> TestServers.get().redisUrl());
		registry.add("history.key-prefix", () -> KEY_PREFIX);
	}

	@AfterAll
	static void cleanUp() {
		postgresServer.close();
		Isolation.deleteKeys(TestServers.get().redisUrl(), KEY_PREFIX);
	}

	@Test
	void liveHistoriesAndWritesWorkAndArchivesAnswer503UntilPostgresIsBack() {
		ApiClient api = new ApiClient(this.port);
		api.createSession("{\"code\":\"OLD\"}");
		UUID archivedId = UUID.fromString(api.get("/sessions/OLD").json().get("sessionId").asString());
		api.append("OLD", "{\"data\":\"archived\"}");
		api.post("/sessions/OLD/end");
		new ArchiverStandIn(this.redis, this.jdbc, this.keys).archive("OLD", archivedId);
		api.createSession("{\"code\":\"LIVE\"}");
		api.append("LIVE", "{\"data\":1}");

		postgresServer.stop();

		assertThat(api.append("LIVE", "{\"data\":2}").status()).isEqualTo(201);
		Response history = api.get("/sessions/LIVE/history");
		assertThat(history.status()).isEqualTo(200);
		assertThat(history.json().get("total").asInt()).isEqualTo(2);
		assertThat(api.get("/sessions/LIVE").status()).isEqualTo(200);
		assertThat(api.postJson("/sessions", "{\"code\":\"FRESH\"}").status()).isEqualTo(201);
		assertThat(api.append("FRESH", "{\"data\":\"x\"}").status()).isEqualTo(201);
		assertThat(api.post("/sessions/LIVE/end").status()).isEqualTo(202);
		JsonNode ended = api.get("/sessions/LIVE/history").json();
		assertThat(ended.get("source").asString()).isEqualTo("live");
		assertThat(ended.get("status").asString()).isEqualTo("ended");

		assertUnavailable(api.get("/sessions/OLD/history?sessionId=" + archivedId));
		assertUnavailable(api.get("/sessions/OLD/history"));
		assertUnavailable(api.get("/sessions/OLD/archives"));
		assertUnavailable(api.append("OLD", "{\"data\":1}"));

		Response health = api.get("/actuator/health");
		assertThat(health.status()).isEqualTo(503);
		JsonNode components = health.json().get("components");
		assertThat(components.get("db").get("status").asString()).isEqualTo("DOWN");
		assertThat(components.get("redis").get("status").asString()).isEqualTo("UP");

		postgresServer.restart();
		Response archived = eventually(() -> api.get("/sessions/OLD/history?sessionId=" + archivedId));
		assertThat(archived.status()).isEqualTo(200);
		assertThat(archived.json().get("source").asString()).isEqualTo("archive");
	}

	private static Response eventually(java.util.function.Supplier<Response> call) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		Response response;
		do {
			response = call.get();
			if (response.status() == 200) {
				return response;
			}
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		while (System.nanoTime() < deadline);
		return response;
	}

	private static void assertUnavailable(Response response) {
		assertThat(response.status()).as(response.text()).isEqualTo(503);
		assertThat(response.header("Retry-After")).isEqualTo("5");
		assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
		assertThat(response.json().get("detail").asString()).contains("PostgreSQL");
	}

}
