package dev.sessionhistory.api.history;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.testsupport.RealServers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Entries another program pushed into a live session's list can neither break a page nor
 * rewrite it: each is served wrapped at its seq, live and archived alike, and a session
 * holds no more bytes than {@code history.session.max-bytes}.
 */
@RealServers
@TestPropertySource(properties = "history.session.max-bytes=4KB")
class ForeignEntriesIntegrationTests extends AbstractApiIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	RedisConnectionFactory connections;

	@Test
	void junkEntriesAreServedWrappedAtTheirSeqTheSameLiveAndArchived() {
		String code = this.api.createSession("{}");
		UUID sessionId = this.api.sessionId(code);
		assertThat(this.api.append(code, "{\"id\":\"m1\",\"data\":1}").status()).isEqualTo(201);
		byte[] list = this.keys.messages(code, sessionId).getBytes(StandardCharsets.UTF_8);
		try (var connection = this.connections.getConnection()) {
			connection.listCommands().rPush(list, "not json".getBytes(StandardCharsets.UTF_8));
			connection.listCommands()
				.rPush(list, "{\"id\":\"m2\"}],\"status\":\"hacked\",\"total\":999,\"x\":[{\"y\":1}"
					.getBytes(StandardCharsets.UTF_8));
			connection.listCommands().rPush(list, new byte[] { '{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}' });
		}
		assertThat(this.api.append(code, "{\"id\":\"m5\",\"data\":5}").status()).isEqualTo(201);

		ApiClient.Response live = this.api.get("/sessions/" + code + "/history");
		JsonNode page = JSON.readTree(live.body());
		assertThat(page.get("status").asString()).isEqualTo("active");
		assertThat(page.get("total").asLong()).isEqualTo(5);
		assertThat(page.get("messages")).hasSize(5);
		assertThat(page.get("messages").get(1).toString())
			.isEqualTo("{\"seq\":2,\"malformed\":true,\"raw\":\"not json\"}");
		assertThat(page.get("messages").get(2).get("raw").asString()).startsWith("{\"id\":\"m2\"}],\"status\"");
		assertThat(page.get("messages").get(3).get("raw").asString()).isEqualTo("{\"a\":\"\uFFFD\"}");
		assertThat(page.get("messages").get(4).get("seq").asInt()).isEqualTo(5);

		assertThat(this.api.post("/sessions/" + code + "/end").status()).isEqualTo(202);
		String ended = this.api.get("/sessions/" + code + "/history?sessionId=" + sessionId).text();
		this.archiver.archive(code, sessionId);
		String archived = this.api.get("/sessions/" + code + "/history?sessionId=" + sessionId).text();
		assertThat(archived).contains("\"source\":\"archive\"");
		assertThat(archived).isEqualTo(ended.replace("\"source\":\"live\"", "\"source\":\"archive\""));
	}

	/** Each entry is judged once; one rewritten in place after that is judged again. */
	@Test
	void anEntryRewrittenInPlaceAfterAReadIsServedWrapped() {
		String code = this.api.createSession("{}");
		UUID sessionId = this.api.sessionId(code);
		assertThat(this.api.append(code, "{\"id\":\"m1\",\"data\":1}").status()).isEqualTo(201);
		assertThat(this.api.append(code, "{\"id\":\"m2\",\"data\":2}").status()).isEqualTo(201);
		String path = "/sessions/" + code + "/history";
		assertThat(JSON.readTree(this.api.get(path).body()).get("messages").get(1).get("data").asInt()).isEqualTo(2);

		byte[] list = this.keys.messages(code, sessionId).getBytes(StandardCharsets.UTF_8);
		try (var connection = this.connections.getConnection()) {
			connection.listCommands().lSet(list, 1, "{\"seq\":2,\"id\":\"m2\",\"data\":2]".getBytes(StandardCharsets.UTF_8));
		}
		JsonNode rewritten = JSON.readTree(this.api.get(path).body()).get("messages").get(1);
		assertThat(rewritten.toString())
			.isEqualTo("{\"seq\":2,\"malformed\":true,\"raw\":\"{\\\"seq\\\":2,\\\"id\\\":\\\"m2\\\",\\\"data\\\":2]\"}");

		try (var connection = this.connections.getConnection()) {
			connection.listCommands().lSet(list, 1, "{\"seq\":2,\"id\":\"m2\",\"data\":3}".getBytes(StandardCharsets.UTF_8));
		}
		assertThat(JSON.readTree(this.api.get(path).body()).get("messages").get(1).get("data").asInt()).isEqualTo(3);
	}

	@Test
	void aSessionHoldsNoMoreBytesThanItsLimit() {
		String code = this.api.createSession("{}");
		String data = "\"" + "x".repeat(1000) + "\"";
		int stored = 0;
		for (int i = 0; i < 3; i++) {
			assertThat(this.api.append(code, "{\"id\":\"b" + i + "\",\"data\":" + data + "}").status()).isEqualTo(201);
			stored++;
		}
		ApiClient.Response refused = this.api.append(code, "{\"id\":\"b3\",\"data\":" + data + "}");
		assertThat(refused.status()).isEqualTo(422);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(refused.json().get("detail").asString()).contains("history.session.max-bytes");
		assertThat(this.api.get("/sessions/" + code).json().get("messageCount").asInt()).isEqualTo(stored);
		// A retry of a stored message is still answered with the original.
		assertThat(this.api.append(code, "{\"id\":\"b0\",\"data\":" + data + "}").status()).isEqualTo(200);
	}

}
