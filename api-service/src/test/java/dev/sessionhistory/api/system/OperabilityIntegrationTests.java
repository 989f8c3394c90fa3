package dev.sessionhistory.api.system;

import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

@RealServers
class OperabilityIntegrationTests extends AbstractApiIntegrationTests {

	@Test
	void theApiIsDescribedAndBrowsable() {
		ApiClient.Response docs = this.api.get("/v3/api-docs");
		assertThat(docs.status()).isEqualTo(200);
		JsonNode paths = docs.json().get("paths");
		assertThat(paths.has("/sessions")).isTrue();
		assertThat(paths.has("/sessions/{code}")).isTrue();
		assertThat(paths.has("/sessions/{code}/end")).isTrue();
		JsonNode archives = paths.get("/sessions/{code}/archives").get("get");
		assertThat(archives.get("parameters").findValuesAsString("name")).containsExactly("code", "limit", "cursor");
		assertThat(archives.get("responses").get("200").get("headers").has("Link")).isTrue();
		assertThat(archives.get("responses").get("200").get("content").get("application/json").get("schema").get("type")
			.asString()).isEqualTo("array");
		assertThat(paths.has("/sessions/{code}/messages")).isTrue();
		assertThat(paths.get("/sessions/{code}/history").get("get").get("parameters").size()).isEqualTo(5);
		JsonNode schemas = docs.json().get("components").get("schemas");
		assertThat(schemas.get("CreateSessionRequest").get("properties").has("ttlSeconds")).isTrue();
		assertThat(schemas.get("AppendMessageRequest").get("required").toString()).contains("data");
		assertThat(schemas.get("History").get("properties").has("hasMore")).isTrue();
		assertThat(schemas.get("Message").get("properties").has("seq")).isTrue();
		assertThat(this.api.get("/swagger-ui/index.html").status()).isEqualTo(200);
	}

	@Test
	void requestsRejectedBeforeTheApplicationAreProblemsToo() throws Exception {
		for (String target : new String[] { "/sessions/%zz", "/sessions/%2F", "/sessions/A/history?limit=%" }) {
			assertThat(raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
					+ TestTokens.admin() + "\r\nConnection: close\r\n\r\n"))
				.as(target)
				.startsWith("HTTP/1.1 400")
				.contains("Content-Type: application/problem+json")
				.contains("\"status\":400")
				.contains("\"detail\":");
		}
		// a target that is a URI names the instance, even when Tomcat refuses it
		assertThat(raw("GET /sessions/%2F HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
			.contains("\"instance\":\"/sessions/%2F\"");
		assertThat(raw("GARBAGE\r\n\r\n")).startsWith("HTTP/1.1 400")
			.contains("Content-Type: application/problem+json")
			.contains("\"detail\":");
		assertThat(raw("TRACE /sessions HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
			.startsWith("HTTP/1.1 405")
			.contains("Content-Type: application/problem+json")
			.contains("\"instance\":\"/sessions\"");
	}

	@Test
	void theErrorPageIsNoResourceOfItsOwn() {
		for (String accept : new String[] { "application/json", "text/html" }) {
			ApiClient.Response error = this.api.get("/error", "Accept", accept);
			assertThat(error.status()).as(accept).isEqualTo(404);
			assertThat(error.header("Content-Type")).as(accept).isEqualTo("application/problem+json");
			assertThat(error.json().get("instance").asString()).isEqualTo("/error");
		}
	}

	@Test
	void malformedHeadersAndBodiesAreProblemsToo() throws Exception {
		assertThat(raw("GET /sessions/NONE HTTP/1.1\r\nHost: localhost\r\nAccept: garbage/\r\n"
				+ "Connection: close\r\n\r\n"))
			.startsWith("HTTP/1.1 400")
			.contains("Content-Type: application/problem+json")
			.contains("Accept header is malformed")
			.contains("\"instance\":\"/sessions/NONE\"");
		// the body ends before its declared length
		Socket socket = new Socket("127.0.0.1", this.port);
		try (socket) {
			socket.getOutputStream()
				.write(("POST /sessions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
						+ "Content-Length: 11\r\nConnection: close\r\n\r\n{\"dat").getBytes(StandardCharsets.US_ASCII));
			socket.shutdownOutput();
			assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
				.startsWith("HTTP/1.1 400")
				.contains("Content-Type: application/problem+json")
				.contains("\"detail\":")
				.contains("\"instance\":\"/sessions\"");
		}
		byte[] invalidUtf8 = { '{', '"', 'm', 'e', 't', 'a', 'd', 'a', 't', 'a', '"', ':', '{', '"', 'k', '"', ':', '"',
				(byte) 0xFF, (byte) 0xFE, '"', '}', '}' };
		ApiClient.Response notUtf8 = this.api.post("/sessions", "application/json", invalidUtf8);
		assertThat(notUtf8.status()).isEqualTo(400);
		assertThat(notUtf8.text()).contains("UTF-8");
		assertThat(this.api.post("/sessions", "multipart/form-data; boundary=x", "{".getBytes(StandardCharsets.UTF_8))
			.status()).isEqualTo(415);
	}

	private String raw(String request) throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	@Test
	void healthReportsRedisAndTheDatabase() {
		JsonNode health = this.management.get("/actuator/health").json();
		assertThat(health.get("status").asString()).isEqualTo("UP");
		assertThat(health.get("components").get("redis").get("status").asString()).isEqualTo("UP");
		assertThat(health.get("components").get("db").get("status").asString()).isEqualTo("UP");
	}

	@Test
	void prometheusShowsLatencyPerEndpointAndTheHotEndpointsOwnTimersAndNoPerRequestExtras() {
		String code = this.api.createSession("{}");
		this.api.append(code, "{\"id\":\"m\",\"data\":1}");
		this.api.append(code, "{\"id\":\"m\",\"data\":1}");
		this.api.append("NOSUCH", "{\"data\":1}");
		this.api.get("/sessions/" + code + "/history");
		this.api.get("/sessions/" + code + "/history?limit=0");
		String metrics = this.management.get("/actuator/prometheus").text();
		assertThat(metrics).contains("history_reads_seconds_count{source=\"live\"} 1")
			.contains("history_reads_seconds_count{source=\"archive\"} 0")
			.contains("history_reads_seconds_sum{source=\"live\"}")
			.contains("history_reads_failures_total{status=\"400\"} 1.0")
			.contains("history_appends_seconds_count{outcome=\"created\"} 1")
			.contains("history_appends_seconds_count{outcome=\"retry\"} 1")
			.contains("history_appends_failures_total{status=\"404\"} 1.0")
			.contains("uri=\"/sessions\"")
			.contains("http_server_requests_seconds_count{")
			.contains("http_server_requests_seconds_sum{");
		// The hot endpoints time themselves: no observation per request for them. Recorded per
		// request, needed by nobody: percentile buckets, requests in flight, and a timer per
		// Redis command.
		assertThat(metrics).doesNotContain("uri=\"/sessions/{code}/history\"")
			.doesNotContain("uri=\"/sessions/{code}/messages\"")
			.doesNotContain("_seconds_bucket")
			.doesNotContain("http_server_requests_active_seconds")
			.doesNotContain("lettuce_");
	}

}
