package dev.sessionhistory.api.security;

import java.time.Instant;
import java.util.EnumSet;
import java.util.UUID;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secure mode against real tokens: users' signed with the identity provider's secret,
 * session tokens minted by the API, each refused when forged, expired or of the wrong kind,
 * with a 401 problem that says why and a {@code WWW-Authenticate: Bearer} challenge.
 */
@RealServers
class TokenVerificationIntegrationTests extends AbstractApiIntegrationTests {

	@Autowired
	SessionTokens sessionTokens;

	@Test
	void aCallWithoutATokenIsA401ProblemWithABearerChallenge() {
		String code = this.api.createSession("{}");
		ApiClient.Response response = this.api.anonymous().get("/sessions/" + code + "/history");
		assertUnauthorized(response);
		assertThat(response.header("WWW-Authenticate")).startsWith("Bearer").doesNotContain("error=");
		assertThat(response.json().get("detail").asString()).contains("needs a bearer token");
		assertThat(this.api.anonymous().post("/sessions/" + code + "/end").status()).isEqualTo(401);
		assertThat(this.api.anonymous().append(code, "{\"id\":\"m1\"}").status()).isEqualTo(401);
	}

	@Test
	void creatingASessionNeedsNoToken() {
		assertThat(this.api.anonymous().postJson("/sessions", "{}").status()).isEqualTo(201);
	}

	@Test
	void healthAndTheApiDocumentationNeedNoToken() {
		assertThat(this.api.anonymous().get("/actuator/health").status()).isEqualTo(200);
		assertThat(this.management.get("/actuator/health").json().at("/components/security/details/mode")
			.asString()).isEqualTo("secure");
		assertThat(this.api.anonymous().get("/v3/api-docs").status()).isEqualTo(200);
	}

	@Test
	void aUserTokenSignedWithAnotherKeyIsRefused() {
		String forged = TestTokens.sign("another-secret-of-at-least-thirty-two-bytes!!",
				new JWTClaimsSet.Builder().subject("mallory"), Instant.now().plusSeconds(600));
		ApiClient.Response response = this.api.as(forged).get("/sessions/ABC234/history");
		assertUnauthorized(response);
		assertThat(response.header("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"");
		assertThat(response.json().get("detail").asString()).contains("The bearer token was refused");
	}

	@Test
	void anExpiredUserTokenIsRefused() {
		String expired = TestTokens.sign(TestTokens.USER_SECRET, new JWTClaimsSet.Builder().subject("alice"),
				Instant.now().minusSeconds(3600));
		assertUnauthorized(this.api.as(expired).get("/sessions/ABC234/history"));
	}

	@Test
	void garbageIsRefused() {
		assertUnauthorized(this.api.as("not-a-jwt").get("/sessions/ABC234/history"));
		assertUnauthorized(this.api.as("a.b.c").get("/sessions/ABC234/history"));
	}

	@Test
	void aValidUserTokenPassesTheFilters() {
		// Not found rather than 401: the token was accepted, the session does not exist.
		assertThat(this.api.as(TestTokens.user("alice")).get("/sessions/ABC234/history").status()).isEqualTo(404);
	}

	@Test
	void theApisOwnSessionTokensAreAccepted() {
		String code = this.api.createSession("{}");
		UUID sessionId = this.api.sessionId(code);
		String token = this.sessionTokens.mint(code, sessionId, EnumSet.allOf(Right.class), 0,
				Instant.now().plusSeconds(600));
		assertThat(this.api.as(token).get("/sessions/" + code + "/history").status()).isEqualTo(200);
	}

	@Test
	void aSessionTokenSignedWithAnotherSecretOrExpiredIsRefused() {
		SessionTokens other = new SessionTokens(settings("another-session-secret-of-at-least-32-bytes"),
				java.time.Clock.systemUTC());
		String forged = other.mint("ABC234", UUID.randomUUID(), EnumSet.of(Right.READ), 0,
				Instant.now().plusSeconds(600));
		assertUnauthorized(this.api.as(forged).get("/sessions/ABC234/history"));
		SessionTokens earlier = new SessionTokens(settings("test-session-token-secret-of-at-least-32-bytes"),
				java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofHours(-2)));
		String expired = earlier.mint("ABC234", UUID.randomUUID(), EnumSet.of(Right.READ), 0,
				Instant.now().minusSeconds(3600));
		assertUnauthorized(this.api.as(expired).get("/sessions/ABC234/history"));
	}

	@Test
	void aUserTokenThatClaimsTheSessionTokenIssuerIsRefused() {
		// Signed by the identity provider's key, but it names the API's issuer: the session
		// token decoder verifies it, and neither its key nor its type match.
		String confused = TestTokens.sign(TestTokens.USER_SECRET,
				new JWTClaimsSet.Builder().issuer(SessionTokens.ISSUER).subject("mallory").claim("code", "ABC234"),
				Instant.now().plusSeconds(600));
		assertUnauthorized(this.api.as(confused).get("/sessions/ABC234/history"));
	}

	static SecuritySettings settings(String sessionSecret) {
		return new SecuritySettings(SecuritySettings.Mode.SECURE, new SecuritySettings.Jwt(null, null), null, null,
				true, new SecuritySettings.SessionToken(sessionSecret, java.util.List.of(), java.time.Duration.ofDays(30)));
	}

	private static void assertUnauthorized(ApiClient.Response response) {
		assertThat(response.status()).as(response.text()).isEqualTo(401);
		assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
		assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
		assertThat(response.json().get("status").asInt()).isEqualTo(401);
	}

}
