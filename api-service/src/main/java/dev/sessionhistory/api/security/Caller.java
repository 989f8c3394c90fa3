package dev.sessionhistory.api.security;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;

/**
 * Who is calling, as the features need to know it: a user (by the {@code sub} of a verified
 * token; perhaps an admin), the holder of a session access token, or nobody.
 *
 * @param userId the user's id, or {@code null}
 * @param admin whether the user is an admin
 * @param grant what a session access token grants, or {@code null}
 */
public record Caller(@Nullable String userId, boolean admin, @Nullable SessionGrant grant) {

	private static final Caller ANONYMOUS = new Caller(null, false, null);

	/** The caller of the current request. */
	public static Caller current() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof UserAuthentication || authentication instanceof OAuth2AuthenticationToken) {
			// a user token, or a user signed in to the gallery with the identity provider
			boolean admin = authentication.getAuthorities()
				.stream()
				.anyMatch((a) -> UserTokens.ADMIN.equals(a.getAuthority()));
			return new Caller(authentication.getName(), admin, null);
		}
		if (authentication instanceof SessionTokenAuthentication token) {
			return new Caller(null, false, token.grant());
		}
		return ANONYMOUS;
	}

}
