package dev.sessionhistory.api.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.sessionhistory.model.Settings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the API, prefix {@code history.security}. User tokens are verified with
 * Spring Boot's own {@code spring.security.oauth2.resourceserver.jwt.*} properties
 * ({@code issuer-uri}, {@code jwk-set-uri}, {@code public-key-location}, {@code audiences}),
 * or with {@code jwt.hmac-secret} for identity providers that sign with a shared secret.
 *
 * @param mode {@code secure} (the default): every call needs a right to it, and the service
 * refuses to start without a session-token secret; {@code open}: anyone may do anything,
 * as before this setting existed, with a warning at start-up and in health
 * @param jwt how user tokens signed with a shared secret are verified
 * @param adminClaim a claim path such as {@code app_metadata.role} whose value
 * {@code adminClaimValue} makes a user an admin (besides the scope {@code history:admin})
 * @param adminClaimValue the value of {@code adminClaim} that makes an admin
 * @param anonymousCreate whether callers without a token may create sessions (with a
 * generated code; they get the session's access token)
 * @param sessionToken the API's own session access tokens
 */
@ConfigurationProperties("history.security")
public record SecuritySettings(@DefaultValue("secure") Mode mode, @DefaultValue Jwt jwt, @Nullable String adminClaim,
		@Nullable String adminClaimValue, @DefaultValue("true") boolean anonymousCreate,
		@DefaultValue SessionToken sessionToken) {

	/** HS256 needs a key of at least 256 bits. */
	static final int MIN_SECRET_BYTES = 32;

	public SecuritySettings {
		if ((adminClaim == null) != (adminClaimValue == null)) {
			throw new IllegalArgumentException(
					"history.security.admin-claim and history.security.admin-claim-value must be set together");
		}
		if (adminClaim != null && (adminClaim.isBlank() || adminClaim.startsWith(".") || adminClaim.endsWith(".")
				|| adminClaim.contains(".."))) {
			throw new IllegalArgumentException("history.security.admin-claim must be a claim path such as "
					+ "'app_metadata.role' but was '" + adminClaim + "'");
		}
	}

	/** The two modes. */
	public enum Mode {

		SECURE, OPEN

	}

	/**
	 * @param hmacSecret the shared secret of the identity provider, as its raw text (as
	 * Supabase hands it out), at least 32 bytes; user tokens are then HS256 JWTs
	 * @param issuer the {@code iss} such user tokens must carry, if set (with Boot's
	 * decoders, {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} does that)
	 */
	public record Jwt(@Nullable String hmacSecret, @Nullable String issuer) {

		public Jwt {
			hmacSecret = unsetIfEmpty(hmacSecret);
			issuer = unsetIfEmpty(issuer);
			checkSecret("history.security.jwt.hmac-secret", hmacSecret);
		}

	}

	/**
	 * @param secret the key that signs session access tokens (HS256), its raw text, at least
	 * 32 bytes; required in secure mode
	 * @param previousSecrets earlier keys whose tokens are still accepted (rotation: move
	 * the old secret here, set a new one)
	 * @param archiveTtl how long after its session ended a token still reads the archive;
	 * with the session's maximum TTL, the hard cap of a token's {@code exp}
	 */
	public record SessionToken(@Nullable String secret, @DefaultValue List<String> previousSecrets,
			@DefaultValue("30d") Duration archiveTtl) {

		public SessionToken {
			secret = unsetIfEmpty(secret);
			checkSecret("history.security.session-token.secret", secret);
			for (String previous : previousSecrets) {
				checkSecret("history.security.session-token.previous-secrets", previous);
			}
			Settings.atLeast("history.security.session-token.archive-ttl", archiveTtl, Duration.ofMinutes(1));
		}

	}

	/** An empty value, as an empty environment variable gives, is no value. */
	private static @Nullable String unsetIfEmpty(@Nullable String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

	private static void checkSecret(String name, @Nullable String secret) {
		if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
			throw new IllegalArgumentException(
					name + " must be at least " + MIN_SECRET_BYTES + " bytes (256 bits) of text, but was "
							+ secret.getBytes(StandardCharsets.UTF_8).length);
		}
	}

}
