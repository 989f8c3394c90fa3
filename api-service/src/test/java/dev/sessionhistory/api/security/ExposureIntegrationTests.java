package dev.sessionhistory.api.security;

import java.nio.charset.StandardCharsets;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the API shows of itself and to whom: the actuator on the management port, the
 * public port's status-only health, the security headers, no CORS unless configured, and
 * the bearer scheme in the API's description.
 */
@RealServers
class ExposureIntegrationTests extends AbstractApiIntegrationTests {

	private static final List<String> ACTUATOR_PATHS = List.of("/actuator", "/actuator/metrics",
			"/actuator/prometheus", "/actuator/info", "/actuator/health/redis", "/actuator/health/liveness",
			"/actuator/health/readiness");

	@Test
	void thePublicPortAnswersHealthWithTheStatusAlone() {
		Response health = this.api.anonymous().get("/actuator/health");
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.header("Content-Type")).isEqualTo("application/json");
		assertThat(health.text()).isEqualTo("{\"status\":\"UP\"}");
	}

	@Test
	void aWildcardContentTypeIsAClientErrorOnEveryPathWhileThePublicHealthIsServed() {
		for (String type : new String[] { "application/*", "*/*" }) {
			Response create = this.api.post("/sessions", type, "{}".getBytes(StandardCharsets.UTF_8));
			assertThat(create.status()).as(type).isEqualTo(415);
			assertThat(create.header("Content-Type")).isEqualTo("application/problem+json");
			Response health = this.api.anonymous().get("/actuator/health", "Content-Type", type);
			assertThat(health.status()).as(type).isEqualTo(200);
		}
	}

	@Test
	void thePublicPortHasNothingElseOfTheActuator() {
		Response unknownAnonymous = this.api.anonymous().get("/no-such-path");
		Response unknown = this.api.get("/no-such-path");
		assertThat(unknownAnonymous.status()).isEqualTo(401);
		assertThat(unknown.status()).isEqualTo(404);
		for (String path : ACTUATOR_PATHS) {
			Response anonymous = this.api.anonymous().get(path);
			assertThat(anonymous.status()).as(path).isEqualTo(unknownAnonymous.status());
			assertThat(anonymous.header("WWW-Authenticate")).as(path).startsWith("Bearer");
			Response admin = this.api.get(path);
			assertThat(admin.status()).as(path).isEqualTo(unknown.status());
			assertThat(admin.header("Content-Type")).as(path).isEqualTo("application/problem+json");
			assertThat(admin.text()).as(path).doesNotContain("\"status\":\"UP\"", "jvm_");
		}
	}

	@Test
	void theManagementPortServesHealthDetailsMetricsAndPrometheusWithoutAToken() {
		JsonNode health = this.management.get("/actuator/health").json();
		assertThat(health.get("status").asString()).isEqualTo("UP");
		assertThat(health.at("/components/redis/status").asString()).isEqualTo("UP");
		assertThat(health.at("/components/db/status").asString()).isEqualTo("UP");
		assertThat(health.at("/components/security/details/mode").asString()).isEqualTo("secure");
		assertThat(this.management.get("/actuator/health/liveness").json().get("status").asString()).isEqualTo("UP");
		Response metrics = this.management.get("/actuator/metrics");
		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.json().get("names").toString()).contains("jvm.memory.used");
		Response prometheus = this.management.get("/actuator/prometheus");
		assertThat(prometheus.status()).isEqualTo(200);
		assertThat(prometheus.text()).contains("jvm_memory_used_bytes");
		// and the API itself is not there
		String code = this.api.createSession("{}");
		assertThat(new ApiClient(this.managementPort).get("/sessions/" + code).status()).isEqualTo(404);
		assertThat(this.management.get("/sessions/" + code).status()).isEqualTo(401);
	}

	@Test
	void answersCarrySpringSecuritysDefaultHeaders() {
		String code = this.api.createSession("{}");
		for (Response response : List.of(this.api.get("/sessions/" + code), this.api.anonymous().get("/sessions/X"),
				this.api.anonymous().get("/actuator/health"))) {
			assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
			assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
			assertThat(response.header("X-XSS-Protection")).isEqualTo("0");
			assertThat(response.header("Cache-Control")).isEqualTo("no-cache, no-store, max-age=0, must-revalidate");
			assertThat(response.header("Pragma")).isEqualTo("no-cache");
			assertThat(response.header("Expires")).isEqualTo("0");
			// plain http here: HSTS only over https
			assertThat(response.header("Strict-Transport-Security")).isNull();
		}
	}

	@Test
	void historyPagesKeepTheirOwnCacheControlBesideTheSecurityHeaders() {
		String code = this.api.createSession("{}");
		UUID sessionId = this.api.sessionId(code);
		this.api.append(code, "{\"data\":1}");
		Response live = this.api.get("/sessions/" + code + "/history");
		assertOwnCacheControl(live, "no-store");
		this.api.post("/sessions/" + code + "/end");
		this.archiver.archive(code, sessionId);
		assertOwnCacheControl(this.api.get("/sessions/" + code + "/history"), "private, no-cache");
		Response explicit = this.api.get("/sessions/" + code + "/history?sessionId=" + sessionId);
		assertOwnCacheControl(explicit, "private, max-age=60");
		Response notModified = this.api.get("/sessions/" + code + "/history?sessionId=" + sessionId, "If-None-Match",
				explicit.header("ETag"));
		assertThat(notModified.status()).isEqualTo(304);
		assertThat(notModified.headers().allValues("Cache-Control")).containsExactly("private, max-age=60");
		assertThat(notModified.header("Pragma")).isNull();
	}

	private static void assertOwnCacheControl(Response response, String cacheControl) {
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.headers().allValues("Cache-Control")).containsExactly(cacheControl);
		assertThat(response.header("Pragma")).isNull();
		assertThat(response.header("Expires")).isNull();
		assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
	}

	@Test
	void withoutAllowedOriginsThereIsNoCorsAtAll() {
		String code = this.api.createSession("{}");
		Response crossOrigin = this.api.get("/sessions/" + code, "Origin", "https://app.example.com");
		assertThat(crossOrigin.status()).isEqualTo(200);
		assertThat(corsHeaders(crossOrigin)).isEmpty();
		Response preflight = preflight(this.api.anonymous(), "/sessions/" + code + "/history",
				"https://app.example.com");
		assertThat(corsHeaders(preflight)).isEmpty();
	}

	@Test
	void theDescriptionDocumentsBearerTokensWhereCallsNeedThem() {
		JsonNode docs = this.api.anonymous().get("/v3/api-docs").json();
		JsonNode scheme = docs.at("/components/securitySchemes/bearer");
		assertThat(scheme.get("type").asString()).isEqualTo("http");
		assertThat(scheme.get("scheme").asString()).isEqualTo("bearer");
		assertThat(scheme.get("bearerFormat").asString()).isEqualTo("JWT");
		JsonNode paths = docs.get("paths");
		for (String path : List.of("/sessions/{code}", "/sessions/{code}/history", "/sessions/{code}/end",
				"/sessions/{code}/messages", "/sessions/{code}/archives", "/sessions/{code}/tokens")) {
			paths.get(path).forEach((operation) -> assertThat(operation.get("security").toString()).as(path)
				.isEqualTo("[{\"bearer\":[]}]"));
		}
		assertThat(paths.get("/sessions").get("post").get("security").toString()).isEqualTo("[{},{\"bearer\":[]}]");
	}

	/** The names of the response's CORS headers ({@code Access-Control-*}), in lower case. */
	static List<String> corsHeaders(Response response) {
		return response.headers()
			.map()
			.keySet()
			.stream()
			.map((name) -> name.toLowerCase(Locale.ROOT))
			.filter((name) -> name.startsWith("access-control-"))
			.toList();
	}

	static Response preflight(ApiClient client, String path, String origin) {
		return client.options(path, "Origin", origin, "Access-Control-Request-Method", "POST",
				"Access-Control-Request-Headers", "authorization,content-type");
	}

}
