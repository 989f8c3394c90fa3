package dev.sessionhistory.api.security;

import java.time.Clock;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Tokens verified before: a client sends the same token with every request (a display
 * polling its history), so each token is parsed and verified once and then trusted, by its
 * exact text, until its {@code exp}; verifying it on every request cost about 5 % of a live
 * read. Bounded in bytes; a token that fails is never remembered. What a token grants on a
 * session is still decided per request ({@link SessionAccess}).
 */
final class VerifiedTokens implements AuthenticationManager {

	private final AuthenticationManager verifier;

	private final Cache<String, Authentication> verified;

	private final Clock clock;

	/**
	 * @param verifier what verifies a token not seen yet
	 * @param maxBytes the memory the remembered tokens may take, about
	 */
	VerifiedTokens(AuthenticationManager verifier, long maxBytes, Clock clock) {
		this.verifier = verifier;
		this.clock = clock;
		// Upkeep on the calling thread: lookups are many and cheap, a hand-off to a pool is not.
		this.verified = Caffeine.newBuilder()
			.executor(Runnable::run)
			.maximumWeight(maxBytes)
			.weigher((String token, Authentication authentication) -> 2 * token.length() + 2048)
			.build();
	}

	@Override
	public Authentication authenticate(Authentication request) {
		String token = ((BearerTokenAuthenticationToken) request).getToken();
		Authentication known = this.verified.getIfPresent(token);
		if (known != null && this.clock.instant().isBefore(expiresAt(known))) {
			return known;
		}
		Authentication result = this.verifier.authenticate(request);
		if (result.getCredentials() instanceof Jwt jwt && jwt.getExpiresAt() != null) {
			this.verified.put(token, result);
		}
		return result;
	}

	private static Instant expiresAt(Authentication authentication) {
		return ((Jwt) authentication.getCredentials()).getExpiresAt();
	}

}
