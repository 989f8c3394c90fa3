package dev.sessionhistory.api.security;

import java.util.Arrays;
import java.util.List;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import static dev.sessionhistory.api.security.ExposureIntegrationTests.corsHeaders;
import static dev.sessionhistory.api.security.ExposureIntegrationTests.preflight;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Browsers on the allowed origins may call the API and read what they need of its answers;
 * preflights need no token; other origins are refused.
 */
@RealServers
@TestPropertySource(properties = "history.cors.allowed-origins=https://app.example.com,http://localhost:3000")
class CorsIntegrationTests extends AbstractApiIntegrationTests {

	private static final String ALLOWED = "https://app.example.com";

	@Test
	void aPreflightFromAnAllowedOriginNeedsNoToken() {
		String code = this.api.createSession("{}");
		Response preflight = preflight(this.api.anonymous(), "/sessions/" + code + "/messages", ALLOWED);
		assertThat(preflight.status()).isEqualTo(200);
		assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
		assertThat(list(preflight.header("Access-Control-Allow-Methods"))).contains("GET", "POST");
		assertThat(list(preflight.header("Access-Control-Allow-Headers").toLowerCase()))
			.containsExactlyInAnyOrder("authorization", "content-type");
		assertThat(preflight.header("Access-Control-Max-Age")).isEqualTo("3600");
		assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();
		assertThat(preflight(this.api.anonymous(), "/sessions", "http://localhost:3000").header(
				"Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
	}

	@Test
	void callsFromAnAllowedOriginMayReadTheHeadersClientsNeed() {
		Response created = this.api.anonymous().postJson("/sessions", "{}", "Origin", ALLOWED);
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
		assertThat(list(created.header("Access-Control-Expose-Headers"))).containsExactlyInAnyOrder("Link", "ETag",
				"Retry-After", "WWW-Authenticate", "Location", "Session-Id");
		String code = created.json().get("code").asString();
		Response refused = this.api.anonymous().get("/sessions/" + code + "/history", "Origin", ALLOWED);
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
		assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
		Response read = this.api.get("/sessions/" + code + "/history", "Origin", ALLOWED);
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
	}

	@Test
	void otherOriginsAreRefused() {
		String code = this.api.createSession("{}");
		Response preflight = preflight(this.api.anonymous(), "/sessions/" + code + "/messages",
				"https://evil.example.net");
		assertThat(preflight.status()).isEqualTo(403);
		assertThat(corsHeaders(preflight)).isEmpty();
		Response read = this.api.get("/sessions/" + code, "Origin", "https://app.example.com.evil.example.net");
		assertThat(read.status()).isEqualTo(403);
		assertThat(corsHeaders(read)).isEmpty();
		assertThat(preflight(this.api.anonymous(), "/sessions", "http://app.example.com").status()).isEqualTo(403);
	}

	@Test
	void callsWithoutAnOriginGetNoCorsHeaders() {
		Response read = this.api.get("/sessions/" + this.api.createSession("{}"));
		assertThat(read.status()).isEqualTo(200);
		assertThat(corsHeaders(read)).isEmpty();
	}

	private static List<String> list(String header) {
		assertThat(header).isNotNull();
		return Arrays.stream(header.split(",")).map(String::strip).toList();
	}

}
