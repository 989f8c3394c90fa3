package dev.sessionhistory.api.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Session tokens carry their grant, rotate by key id, and are refused once their key is gone.
 */
class SessionTokensTests {

	private static final String OLD = "the-old-session-token-secret-of-32-bytes-at-least";

	private static final String NEW = "the-new-session-token-secret-of-32-bytes-at-least";

	private static final UUID SESSION = UUID.fromString("0b1c2d3e-0000-4000-8000-000000000001");

	@Test
	void aTokenCarriesItsGrant() {
		SessionTokens tokens = tokens(NEW);
		Instant expiresAt = Instant.now().plusSeconds(600);
		Jwt jwt = tokens.decoder().decode(tokens.mint("ABC234", SESSION, EnumSet.of(Right.READ, Right.END), 3, expiresAt));
		SessionGrant grant = SessionTokens.grant(jwt);
		assertThat(grant.code()).isEqualTo("ABC234");
		assertThat(grant.sessionId()).isEqualTo(SESSION);
		assertThat(grant.rights()).containsExactlyInAnyOrder(Right.READ, Right.END);
		assertThat(grant.epoch()).isEqualTo(3);
		assertThat(jwt.getClaimAsStringList("rights")).containsExactly("read", "end");
		assertThat(jwt.getClaimAsString("iss")).isEqualTo(SessionTokens.ISSUER);
		assertThat(jwt.getHeaders()).containsEntry("typ", "session+jwt").containsKey("kid");
		assertThat(grant.grants("ABC234", SESSION, Right.READ, 3)).isTrue();
		assertThat(grant.grants("ABC234", SESSION, Right.APPEND, 3)).isFalse();
		assertThat(grant.grants("ABC234", SESSION, Right.READ, 4)).as("revoked").isFalse();
		assertThat(grant.grants("ABC234", UUID.randomUUID(), Right.READ, 0)).as("another instance").isFalse();
		assertThat(grant.grants("XYZ789", SESSION, Right.READ, 0)).as("another code").isFalse();
	}

	@Test
	void tokensOfThePreviousSecretStayValidAfterARotation() {
		String old = tokens(OLD).mint("ABC234", SESSION, EnumSet.of(Right.READ), 0, Instant.now().plusSeconds(600));
		SessionTokens rotated = new SessionTokens(settings(NEW, List.of(OLD)), Clock.systemUTC());
		assertThat(SessionTokens.grant(rotated.decoder().decode(old)).sessionId()).isEqualTo(SESSION);
		String fresh = rotated.mint("ABC234", SESSION, EnumSet.of(Right.READ), 0, Instant.now().plusSeconds(600));
		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> tokens(OLD).decoder().decode(fresh));
		// Once the old secret is dropped, its tokens are refused.
		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> tokens(NEW).decoder().decode(old));
	}

	@Test
	void aSecretShorterThan256BitsIsRefused() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> settings("short", List.of()))
			.withMessageContaining("history.security.session-token.secret must be at least 32 bytes");
	}

	@Test
	void rightsAreNamedExactly() {
		assertThat(Right.parse(List.of("end", "read"))).containsExactlyInAnyOrder(Right.READ, Right.END);
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> Right.parse(List.of("admin")));
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> Right.parse(List.of()));
	}

	private static SessionTokens tokens(String secret) {
		return new SessionTokens(settings(secret, List.of()), Clock.systemUTC());
	}

	private static SecuritySettings settings(String secret, List<String> previous) {
		return new SecuritySettings(SecuritySettings.Mode.SECURE, new SecuritySettings.Jwt(null, null), null, null,
				true, new SecuritySettings.SessionToken(secret, previous, Duration.ofDays(30)));
	}

}
