package dev.sessionhistory.api.security;

import java.time.Instant;
import java.util.Collection;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A caller holding a verified user token: the user's id (the token's {@code sub}), whether
 * they are an admin, and when the token expires; not the token itself, so that a verified
 * token is remembered in a few hundred bytes ({@link VerifiedTokens}).
 */
final class UserAuthentication extends AbstractAuthenticationToken implements VerifiedTokens.Expiring {

	private final String userId;

	private final Instant expiresAt;

	UserAuthentication(String userId, Collection<? extends GrantedAuthority> authorities, Instant expiresAt) {
		super(authorities);
		this.userId = userId;
		this.expiresAt = expiresAt;
		setAuthenticated(true);
	}

	@Override
	public Object getCredentials() {
		return null;
	}

	@Override
	public Object getPrincipal() {
		return this.userId;
	}

	@Override
	public String getName() {
		return this.userId;
	}

	@Override
	public Instant expiresAt() {
		return this.expiresAt;
	}

}
