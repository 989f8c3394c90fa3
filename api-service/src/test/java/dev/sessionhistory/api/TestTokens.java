package dev.sessionhistory.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Users' tokens as an identity provider signing with a shared secret (HS256) issues them,
 * signed with the key the tests configure ({@code src/test/resources/application.properties}):
 * real tokens the API verifies as in production, no decoder replaced.
 */
public final class TestTokens {

	/** {@code history.security.jwt.hmac-secret} of the tests. */
	public static final String USER_SECRET = "test-identity-provider-secret-of-32-bytes-or-more";

	private TestTokens() {
	}

	/** A token of user {@code sub}, valid for an hour. */
	public static String user(String sub) {
		return sign(USER_SECRET, new JWTClaimsSet.Builder().subject(sub), Instant.now().plusSeconds(3600));
	}

	/** A token of an admin by the configured claim ({@code app_metadata.role = admin}). */
	public static String admin() {
		return admin("admin-1");
	}

	/** A token of admin {@code sub}. */
	public static String admin(String sub) {
		return sign(USER_SECRET, new JWTClaimsSet.Builder().subject(sub).claim("app_metadata", Map.of("role", "admin")),
				Instant.now().plusSeconds(3600));
	}

	/** A token of user {@code sub} signed with {@code secret}, expiring at {@code expiresAt}. */
	public static String sign(String secret, JWTClaimsSet.Builder claims, Instant expiresAt) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
					claims.issueTime(new Date()).expirationTime(Date.from(expiresAt)).build());
			jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
