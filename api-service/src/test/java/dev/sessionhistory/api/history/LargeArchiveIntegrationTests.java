package dev.sessionhistory.api.history;

import java.util.List;
import java.util.UUID;

import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.ArchiverStandIn;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Archives too large to read whole (here: every archive) are paged by PostgreSQL, with the
 * same pages, byte for byte, as the live session gave.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "history.archive-cache.max-row-size=0")
@RealServers
class LargeArchiveIntegrationTests {

	private static final List<String> QUERIES = List.of("", "limit=4", "after=0&limit=5", "after=7&limit=5",
			"after=12", "before=13&limit=5", "before=3", "before=1", "limit=1000", "after=40");

	@LocalServerPort
	int port;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	RedisKeys keys;

	@Test
	void pagesOfALargeArchiveAreCutByPostgresAndMatchTheLivePages() {
		ApiClient api = new ApiClient(this.port);
		String code = api.createSession("{}");
		UUID sessionId = UUID.fromString(api.get("/sessions/" + code).json().get("sessionId").asString());
		for (int i = 1; i <= 13; i++) {
			String data = (i % 2 == 0) ? "{\"text\": \"caf\u00e9 ],[ \\\"q\\\"\", \"n\": 1.50}" : "[" + i + ", null]";
			assertThat(api.append(code, "{\"id\":\"x" + i + "\",\"data\":" + data + "}").status()).isEqualTo(201);
		}
		List<Response> live = QUERIES.stream().map((query) -> api.get("/sessions/" + code + "/history?" + query)).toList();
		api.post("/sessions/" + code + "/end");
		new ArchiverStandIn(this.redis, this.jdbc, this.keys).archive(code, sessionId);

		for (int i = 0; i < QUERIES.size(); i++) {
			Response archived = api.get("/sessions/" + code + "/history?" + QUERIES.get(i));
			assertThat(archived.status()).isEqualTo(200);
			assertThat(archived.json().get("source").asString()).isEqualTo("archive");
			assertThat(archived.json().get("total")).isEqualTo(live.get(i).json().get("total"));
			assertThat(archived.json().get("hasMore")).as(QUERIES.get(i)).isEqualTo(live.get(i).json().get("hasMore"));
			assertThat(archived.messagesText()).as(QUERIES.get(i)).isEqualTo(live.get(i).messagesText());
		}
	}

}
