package dev.sessionhistory.api.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Tokens verified before: a client sends the same token with every request (a display
 * polling its history), so each token is parsed and verified once and then trusted until
 * its {@code exp}; verifying it on every request cost about 5 % of a live read, and far more
 * once the tokens of many clients no longer fit. Remembered by the SHA-256 of the token's
 * text (its first 128 bits: finding another text with the same ones is as hard as breaking
 * SHA-256) with the compact authentication it was verified to ({@link UserAuthentication},
 * {@link SessionTokenAuthentication}: about {@value #ENTRY_BYTES} bytes each, so 16 MB hold
 * some 40,000 tokens). A token that fails is never remembered. What a token grants on a
 * session is still decided per request ({@link SessionAccess}).
 */
final class VerifiedTokens implements AuthenticationManager {

	/** What the cache charges for one token, besides a user id's characters. */
	static final int ENTRY_BYTES = 400;

	private final AuthenticationManager verifier;

	private final Cache<Digest, Authentication> verified;

	private final Clock clock;

	/**
	 * @param verifier what verifies a token not seen yet, to an {@link Expiring}
	 * authentication (any other is not remembered)
	 * @param maxBytes the memory the remembered tokens may take, about
	 */
	VerifiedTokens(AuthenticationManager verifier, long maxBytes, Clock clock) {
		this.verifier = verifier;
		this.clock = clock;
		// Upkeep on the calling thread: lookups are many and cheap, a hand-off to a pool is not.
		this.verified = Caffeine.newBuilder()
			.executor(Runnable::run)
			.maximumWeight(maxBytes)
			.weigher((Digest token, Authentication authentication) -> ENTRY_BYTES + 2 * authentication.getName().length())
			.build();
	}

	/**
	 * @throws ProviderNotFoundException for anything but a bearer token: being the context's
	 * only {@link AuthenticationManager} bean, this is also the parent Spring Security asks
	 * after the providers of a filter chain, e.g. the gallery's OAuth2 login when the
	 * identity provider answered with an error, which must stay that error
	 */
	@Override
	public Authentication authenticate(Authentication request) {
		if (!(request instanceof BearerTokenAuthenticationToken bearer)) {
			throw new ProviderNotFoundException("Only bearer tokens are verified here, not "
					+ request.getClass().getSimpleName());
		}
		String token = bearer.getToken();
		Digest digest = Digest.of(token);
		Authentication known = this.verified.getIfPresent(digest);
		if (known instanceof Expiring expiring && this.clock.instant().isBefore(expiring.expiresAt())) {
			return known;
		}
		Authentication result = this.verifier.authenticate(request);
		if (result instanceof Expiring expiring && expiring.expiresAt() != null) {
			this.verified.put(digest, result);
		}
		return result;
	}

	/** An authentication that says until when its token is valid. */
	interface Expiring {

		Instant expiresAt();

	}

	/** The first 128 bits of the SHA-256 of a token's text. */
	private record Digest(long high, long low) {

		static Digest of(String token) {
			try {
				byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
				ByteBuffer bits = ByteBuffer.wrap(hash);
				return new Digest(bits.getLong(), bits.getLong());
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException("SHA-256 is part of every JDK", ex);
			}
		}

	}

}
