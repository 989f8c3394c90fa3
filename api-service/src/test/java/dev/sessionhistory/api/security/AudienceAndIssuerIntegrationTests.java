package dev.sessionhistory.api.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user token is accepted only from the configured issuer and for the configured audience
 * (Boot's {@code spring.security.oauth2.resourceserver.jwt.audiences}, which apply to the
 * HS256 verifier too), signed with a real key.
 */
@RealServers
@TestPropertySource(properties = { "spring.security.oauth2.resourceserver.jwt.audiences=session-history",
		"history.security.jwt.issuer=https://login.example.com/" })
class AudienceAndIssuerIntegrationTests extends AbstractApiIntegrationTests {

	@Test
	void aTokenForAnotherAudienceOrFromAnotherIssuerIsRefused() {
		String good = token("https://login.example.com/", List.of("session-history"));
		ApiClient user = this.api.as(good);
		String code = user.createSession("{}");
		assertThat(user.get("/sessions/" + code + "/history").status()).isEqualTo(200);
		for (String refused : List.of(token("https://login.example.com/", List.of("another-service")),
				token("https://login.example.com/", List.of()), token("https://evil.example.com/", List.of("session-history")),
				token(null, List.of("session-history")))) {
			ApiClient.Response response = this.api.as(refused).get("/sessions/" + code + "/history");
			assertThat(response.status()).isEqualTo(401);
			assertThat(response.header("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"");
			assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
		}
		// an admin's token is held to the same checks
		String admin = TestTokens.sign(TestTokens.USER_SECRET,
				new JWTClaimsSet.Builder().subject("admin-2").issuer("https://login.example.com/")
					.audience("another-service")
					.claim("app_metadata", Map.of("role", "admin")),
				Instant.now().plusSeconds(600));
		assertThat(this.api.as(admin).get("/sessions/" + code + "/history").status()).isEqualTo(401);
	}

	private static String token(String issuer, List<String> audiences) {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("alice").audience(audiences);
		if (issuer != null) {
			claims.issuer(issuer);
		}
		return TestTokens.sign(TestTokens.USER_SECRET, claims, Instant.now().plusSeconds(600));
	}

}
