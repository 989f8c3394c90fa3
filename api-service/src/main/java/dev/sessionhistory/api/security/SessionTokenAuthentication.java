package dev.sessionhistory.api.security;

import java.time.Instant;
import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A caller holding a verified session access token: what it grants, and nothing else (no
 * user, no authorities).
 */
final class SessionTokenAuthentication extends AbstractAuthenticationToken implements VerifiedTokens.Expiring {

	private final SessionGrant grant;

	SessionTokenAuthentication(SessionGrant grant) {
		super(List.of());
		this.grant = grant;
		setAuthenticated(true);
	}

	SessionGrant grant() {
		return this.grant;
	}

	/** Not the token itself: what it grants is all that is kept ({@link VerifiedTokens}). */
	@Override
	public Object getCredentials() {
		return null;
	}

	@Override
	public Object getPrincipal() {
		return this.grant;
	}

	@Override
	public Instant expiresAt() {
		return this.grant.expiresAt();
	}

	/** The instance the token is for: what rate limits and logs know the caller by. */
	@Override
	public String getName() {
		return "session:" + this.grant.sessionId();
	}

}
