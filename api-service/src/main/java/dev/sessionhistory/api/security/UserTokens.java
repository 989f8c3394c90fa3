package dev.sessionhistory.api.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.stereotype.Component;

/**
 * The users' tokens, issued by the identity provider: verified by Spring Boot's decoder
 * when its {@code spring.security.oauth2.resourceserver.jwt.*} properties configure one, or
 * with {@code history.security.jwt.hmac-secret} (HS256, checking {@code history.security.jwt.issuer}
 * and Boot's {@code audiences} property as Boot's decoders do), and turned into an authentication whose name is the {@code sub}
 * claim, with the authority {@value #ADMIN} for admins.
 */
@Component
class UserTokens {

	/** The authority of admins, and the scope that makes one. */
	static final String ADMIN = "history:admin";

	private final @Nullable JwtDecoder decoder;

	private final @Nullable String adminClaim;

	private final @Nullable String adminClaimValue;

	UserTokens(SecuritySettings settings, OAuth2ResourceServerProperties boot, ObjectProvider<JwtDecoder> bootDecoder) {
		String secret = settings.jwt().hmacSecret();
		JwtDecoder configured = bootDecoder.getIfAvailable();
		if (secret != null && configured != null) {
			throw new IllegalStateException("history.security.jwt.hmac-secret and "
					+ "spring.security.oauth2.resourceserver.jwt.* both configure how user tokens are verified: "
					+ "set one of them");
		}
		this.decoder = (secret != null) ? hmacDecoder(secret, settings.jwt().issuer(), boot.getJwt().getAudiences())
				: configured;
		this.adminClaim = settings.adminClaim();
		this.adminClaimValue = settings.adminClaimValue();
	}

	/** The decoder of user tokens, if any is configured. */
	Optional<JwtDecoder> decoder() {
		return Optional.ofNullable(this.decoder);
	}

	/**
	 * The authentication of a verified user token.
	 * @throws InvalidBearerTokenException for a token without a subject or an expiry, which
	 * names nobody or would be trusted forever
	 */
	UserAuthentication authentication(Jwt jwt) {
		if (jwt.getSubject() == null || jwt.getSubject().isEmpty() || jwt.getExpiresAt() == null) {
			throw new InvalidBearerTokenException("A user token needs a subject ('sub') and an expiry ('exp')");
		}
		List<GrantedAuthority> authorities = new ArrayList<>();
		if (isAdmin(jwt)) {
			authorities.add(new SimpleGrantedAuthority(ADMIN));
		}
		return new UserAuthentication(jwt.getSubject(), authorities, jwt.getExpiresAt());
	}

	boolean isAdmin(Jwt jwt) {
		return isAdmin(jwt.getClaims());
	}

	/**
	 * Whether the claims (of a token, or of a user signed in with the identity provider) make
	 * an admin: the scope {@value #ADMIN}, or {@code history.security.admin-claim} holding
	 * {@code history.security.admin-claim-value}.
	 */
	boolean isAdmin(Map<String, Object> claims) {
		for (String claim : List.of("scope", "scp")) {
			Object scopes = claims.get(claim);
			if (scopes instanceof String text && List.of(text.split(" ")).contains(ADMIN)) {
				return true;
			}
			if (scopes instanceof Collection<?> list && list.contains(ADMIN)) {
				return true;
			}
		}
		if (this.adminClaim == null) {
			return false;
		}
		Object value = claims;
		for (String name : this.adminClaim.split("\\.")) {
			if (!(value instanceof Map<?, ?> map)) {
				return false;
			}
			value = map.get(name);
		}
		return (value instanceof Collection<?> list) ? list.contains(this.adminClaimValue)
				: this.adminClaimValue.equals(value);
	}

	private static JwtDecoder hmacDecoder(String secret, @Nullable String issuer, @Nullable List<String> audiences) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder
			.withSecretKey(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
			.macAlgorithm(MacAlgorithm.HS256)
			.build();
		// The times, as JwtValidators' defaults check them, but not their "typ" check: identity
		// providers send "JWT", "at+jwt" (RFC 9068) or none.
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		validators.add(new JwtTimestampValidator());
		if (issuer != null) {
			validators.add(new JwtIssuerValidator(issuer));
		}
		if (audiences != null && !audiences.isEmpty()) {
			validators.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
					(aud) -> aud != null && aud.stream().anyMatch(audiences::contains)));
		}
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
		return decoder;
	}

}
