package dev.sessionhistory.api.security;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A token is verified once and trusted until it expires; a refused one is verified every time;
 * what is no bearer token is left to others.
 */
class VerifiedTokensTests {

	private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

	private final List<String> verifications = new ArrayList<>();

	/** Verifies "good-…" tokens as valid for a minute from NOW, refuses the others. */
	private final AuthenticationManager verifier = (request) -> {
		String token = ((BearerTokenAuthenticationToken) request).getToken();
		this.verifications.add(token);
		if (!token.startsWith("good")) {
			throw new InvalidBearerTokenException("refused");
		}
		return new UserAuthentication(token, List.of(), NOW.plusSeconds(60));
	};

	@Test
	void aTokenIsVerifiedOnceUntilItExpires() {
		MutableClock clock = new MutableClock(NOW);
		VerifiedTokens tokens = new VerifiedTokens(this.verifier, 1024 * 1024, clock);
		Authentication first = tokens.authenticate(new BearerTokenAuthenticationToken("good-a"));
		Authentication again = tokens.authenticate(new BearerTokenAuthenticationToken("good-a"));
		assertThat(again).isSameAs(first);
		assertThat(tokens.authenticate(new BearerTokenAuthenticationToken("good-b")).getName()).isEqualTo("good-b");
		assertThat(this.verifications).containsExactly("good-a", "good-b");

		clock.now = NOW.plusSeconds(60);
		tokens.authenticate(new BearerTokenAuthenticationToken("good-a"));
		assertThat(this.verifications).containsExactly("good-a", "good-b", "good-a");
	}

	@Test
	void aRefusedTokenIsNeverRemembered() {
		VerifiedTokens tokens = new VerifiedTokens(this.verifier, 1024 * 1024, new MutableClock(NOW));
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(InvalidBearerTokenException.class)
				.isThrownBy(() -> tokens.authenticate(new BearerTokenAuthenticationToken("forged")));
		}
		assertThat(this.verifications).containsExactly("forged", "forged");
	}

	@Test
	void anythingButABearerTokenIsNotItsToVerify() {
		VerifiedTokens tokens = new VerifiedTokens(this.verifier, 1024 * 1024, new MutableClock(NOW));
		assertThatExceptionOfType(ProviderNotFoundException.class)
			.isThrownBy(() -> tokens.authenticate(new UsernamePasswordAuthenticationToken("alice", "secret")));
		assertThat(this.verifications).isEmpty();
	}

	private static final class MutableClock extends Clock {

		Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
