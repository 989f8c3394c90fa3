package dev.sessionhistory.api.system;

import java.time.Duration;
import java.util.UUID;

import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.archive.ArchiverStandIn;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.testsupport.PrivateRedis;
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
 * With Redis gone, archives are still served from PostgreSQL and everything that needs
 * Redis answers 503 with Retry-After, quickly; once Redis is back, so is the service.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RedisDownIntegrationTests {

	private static final PrivateRedis redisServer = PrivateRedis.start();

	private static final String DATABASE = "sh_test_redisdown_" + UUID.randomUUID().toString().substring(0, 8);

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
		TestServers servers = TestServers.get();
		servers.createDatabase(DATABASE);
		registry.add("spring.data.redis.url", redisServer::url);
		registry.add("spring.datasource.url", () -> servers.jdbcUrl(DATABASE));
		registry.add("spring.datasource.username", servers::username);
		registry.add("spring.datasource.password", servers::password);
	}

	@AfterAll
	static void cleanUp() {
		redisServer.close();
		TestServers.get().dropDatabase(DATABASE);
	}

	@Test
	void archivesAreStillServedAndRedisCallsAnswer503UntilRedisIsBack() {
		ApiClient api = new ApiClient(this.port);
		String archivedCode = api.createSession("{\"code\":\"ARCHIVED\"}");
		api.append(archivedCode, "{\"data\":\"kept\"}");
		UUID archivedId = UUID.fromString(api.get("/sessions/ARCHIVED").json().get("sessionId").asString());
		api.post("/sessions/ARCHIVED/end");
		new ArchiverStandIn(this.redis, this.jdbc, this.keys).archive(archivedCode, archivedId);
		String liveCode = api.createSession("{\"code\":\"LIVE\"}");
		api.append(liveCode, "{\"data\":\"only in redis\"}");

		redisServer.stop();

		Response latest = api.get("/sessions/ARCHIVED/history");
		assertThat(latest.status()).isEqualTo(200);
		assertThat(latest.json().get("source").asString()).isEqualTo("archive");
		assertThat(latest.json().get("messages").get(0).get("data").asString()).isEqualTo("kept");
		Response byId = api.get("/sessions/ARCHIVED/history?sessionId=" + archivedId);
		assertThat(byId.status()).isEqualTo(200);
		assertThat(byId.body()).isEqualTo(latest.body());
		assertThat(api.get("/sessions/ARCHIVED").json().get("status").asString()).isEqualTo("ended");
		assertThat(api.get("/sessions/ARCHIVED/archives").json().size()).isEqualTo(1);

		long started = System.nanoTime();
		assertUnavailable(api.get("/sessions/LIVE/history"));
		assertUnavailable(api.append(liveCode, "{\"data\":1}"));
		assertUnavailable(api.post("/sessions/LIVE/end"));
		assertUnavailable(api.get("/sessions/LIVE"));
		assertUnavailable(api.postJson("/sessions", "{}"));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

		Response health = api.get("/actuator/health");
		assertThat(health.status()).isEqualTo(503);
		JsonNode components = health.json().get("components");
		assertThat(components.get("redis").get("status").asString()).isEqualTo("DOWN");
		assertThat(components.get("db").get("status").asString()).isEqualTo("UP");

		redisServer.restart();
		assertThat(eventuallyCreated(api)).isEqualTo(201);
		assertThat(api.get("/actuator/health").status()).isEqualTo(200);
	}

	private static int eventuallyCreated(ApiClient api) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		int status;
		do {
			status = api.postJson("/sessions", "{}").status();
			if (status == 201) {
				return status;
			}
			sleep(200);
		}
		while (System.nanoTime() < deadline);
		return status;
	}

	private static void assertUnavailable(Response response) {
		assertThat(response.status()).as(response.text()).isEqualTo(503);
		assertThat(response.header("Retry-After")).isEqualTo("5");
		assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
		assertThat(response.json().get("detail").asString()).contains("Redis");
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
