package dev.sessionhistory.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.sessionhistory.api.live.SessionIds;
import dev.sessionhistory.model.RedisKeys;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Component;

/**
 * The API's own session access tokens, for devices and guests without an account: HS256
 * JWTs signed with {@code history.security.session-token.secret}, told apart from user
 * tokens by their issuer {@value #ISSUER} and their type {@value #TYPE}, naming one session
 * instance ({@value #SESSION}, {@value #CODE}) and its rights ({@value #RIGHTS}, not
 * {@code scope}) at the instance's token epoch ({@value #EPOCH}).
 * <p>
 * Keys rotate by their {@code kid} (derived from the secret): tokens are signed with the
 * current secret and verified with it or any of {@code previous-secrets}. Without a secret
 * (open mode only) a random one is made at start-up, so tokens do not outlive the process.
 */
@Component
public class SessionTokens {

	/** The {@code iss} of every session token. */
	public static final String ISSUER = "urn:session-history:session-token";

	/** The {@code typ} header of every session token. */
	static final String TYPE = "session+jwt";

	static final String SESSION = "session_id";

	static final String CODE = "code";

	static final String RIGHTS = "rights";

	static final String EPOCH = "epoch";

	private static final Log log = LogFactory.getLog(SessionTokens.class);

	private final NimbusJwtEncoder encoder;

	private final String keyId;

	private final NimbusJwtDecoder decoder;

	private final Clock clock;

	SessionTokens(SecuritySettings settings, Clock clock) {
		this.clock = clock;
		String secret = settings.sessionToken().secret();
		if (secret == null) {
			byte[] random = new byte[32];
			new SecureRandom().nextBytes(random);
			secret = Base64.getEncoder().encodeToString(random);
			log.warn("No history.security.session-token.secret: session tokens are signed with a random key "
					+ "made at start-up, and no token outlives this process or works on another replica");
		}
		List<JWK> keys = new ArrayList<>();
		OctetSequenceKey current = key(secret);
		keys.add(current);
		for (String previous : settings.sessionToken().previousSecrets()) {
			keys.add(key(previous));
		}
		this.keyId = current.getKeyID();
		this.encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(current)));
		this.decoder = decoder(new ImmutableJWKSet<>(new JWKSet(keys)), clock);
	}

	/** A token for {@code rights} on one instance, until {@code expiresAt}. */
	public String mint(String code, UUID sessionId, Set<Right> rights, long epoch, Instant expiresAt) {
		Instant now = this.clock.instant();
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer(ISSUER)
			.issuedAt(now)
			.expiresAt(expiresAt)
			.claim(CODE, code)
			.claim(SESSION, sessionId.toString())
			.claim(RIGHTS, Right.wire(rights))
			.claim(EPOCH, epoch)
			.build();
		JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).keyId(this.keyId).type(TYPE).build();
		return this.encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
	}

	/**
	 * The grant of a session token handed over other than as the bearer (a join's body), or
	 * empty when it is no valid session token.
	 */
	public Optional<SessionGrant> verify(String token) {
		try {
			return Optional.of(grant(this.decoder.decode(token)));
		}
		catch (JwtException ex) {
			return Optional.empty();
		}
	}

	/** The decoder of session tokens: signature, type, issuer, times and claims. */
	JwtDecoder decoder() {
		return this.decoder;
	}

	/** The grant of a token the {@link #decoder()} accepted. */
	static SessionGrant grant(Jwt jwt) {
		return new SessionGrant(jwt.getClaimAsString(CODE), UUID.fromString(jwt.getClaimAsString(SESSION)),
				Right.parse(jwt.getClaimAsStringList(RIGHTS)), ((Number) jwt.getClaims().get(EPOCH)).longValue(),
				jwt.getExpiresAt());
	}

	private static NimbusJwtDecoder decoder(ImmutableJWKSet<SecurityContext> keys, Clock clock) {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, keys));
		processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType(TYPE)));
		// Times and claims are checked by the validators below, as for user tokens.
		processor.setJWTClaimsSetVerifier((claims, context) -> {
		});
		NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
		// Not JwtValidators' defaults: their type check wants "JWT", and the type is checked above.
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(),
				new JwtIssuerValidator(ISSUER), SessionTokens::claims));
		return decoder;
	}

	/** Every claim a grant needs, well formed; anything else is an invalid token. */
	private static OAuth2TokenValidatorResult claims(Jwt jwt) {
		try {
			if (jwt.getExpiresAt() == null) {
				return invalid("a session token must expire");
			}
			String code = jwt.getClaimAsString(CODE);
			if (code == null || !RedisKeys.isValidCode(code)) {
				return invalid("no valid '" + CODE + "' claim");
			}
			if (SessionIds.parse(jwt.getClaimAsString(SESSION)) == null) {
				return invalid("no '" + SESSION + "' claim");
			}
			Object epoch = jwt.getClaims().get(EPOCH);
			if (!(epoch instanceof Number number) || number.longValue() < 0) {
				return invalid("no valid '" + EPOCH + "' claim");
			}
			Right.parse(jwt.getClaimAsStringList(RIGHTS));
			return OAuth2TokenValidatorResult.success();
		}
		catch (RuntimeException ex) {
			return invalid("malformed claims: " + ex.getMessage());
		}
	}

	private static OAuth2TokenValidatorResult invalid(String description) {
		return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null));
	}

	/** An HS256 key with a {@code kid} of the first 8 bytes of the secret's SHA-256, in hex. */
	private static OctetSequenceKey key(String secret) {
		byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
			return new OctetSequenceKey.Builder(bytes).keyID(HexFormat.of().formatHex(digest, 0, 8))
				.algorithm(JWSAlgorithm.HS256)
				.keyUse(KeyUse.SIGNATURE)
				.build();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

}
