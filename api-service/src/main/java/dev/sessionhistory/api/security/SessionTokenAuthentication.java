package dev.sessionhistory.api.security;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * A caller holding a verified session access token: what it grants, and nothing else (no
 * user, no authorities).
 */
final class SessionTokenAuthentication extends AbstractAuthenticationToken {

	private final Jwt token;

	private final SessionGrant grant;

	SessionTokenAuthentication(Jwt token, SessionGrant grant) {
		super(List.of());
		this.token = token;
		this.grant = grant;
		setAuthenticated(true);
	}

	SessionGrant grant() {
		return this.grant;
	}

	@Override
	public Object getCredentials() {
		return this.token;
	}

	@Override
	public Object getPrincipal() {
		return this.grant;
	}

	/** The instance the token is for: what rate limits and logs know the caller by. */
	@Override
	public String getName() {
		return "session:" + this.grant.sessionId();
	}

}
