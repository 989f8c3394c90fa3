package dev.sessionhistory.api.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.authentication.AbstractAuthenticationProcessingFilter;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

/**
 * Signs a browser in to the gallery with an admin's bearer token, posted as the form field
 * {@code token} to {@code POST /admin/sign-in} (with the CSRF token): the token is verified
 * as every bearer token is, must be an admin's, and the session it opens ends when the
 * token expires ({@link GallerySecurityConfiguration.ExpiredSignIns}). Any other token, or
 * none, goes back to the sign-in page with {@code ?error=}.
 */
final class TokenSignInFilter extends AbstractAuthenticationProcessingFilter {

	static final String TOKEN = "token";

	private final AuthenticationManager tokens;

	TokenSignInFilter(AuthenticationManager tokens) {
		super(pathPattern(HttpMethod.POST, GallerySecurityConfiguration.SIGN_IN));
		this.tokens = tokens;
		setSecurityContextRepository(new HttpSessionSecurityContextRepository());
		setSessionAuthenticationStrategy(new ChangeSessionIdAuthenticationStrategy());
		SimpleUrlAuthenticationSuccessHandler success = new SimpleUrlAuthenticationSuccessHandler("/admin/");
		success.setAlwaysUseDefaultTargetUrl(true);
		setAuthenticationSuccessHandler(success);
		setAuthenticationFailureHandler((request, response, ex) -> new SimpleUrlAuthenticationFailureHandler(
				GallerySecurityConfiguration.SIGN_IN + "?error="
						+ ((ex instanceof NotAnAdminException) ? "not-admin" : "token-refused"))
			.onAuthenticationFailure(request, response, ex));
	}

	@Override
	public Authentication attemptAuthentication(HttpServletRequest request, HttpServletResponse response) {
		String token = request.getParameter(TOKEN);
		if (token == null || token.isBlank()) {
			throw new BadCredentialsException("no token was given");
		}
		Authentication authentication = this.tokens.authenticate(new BearerTokenAuthenticationToken(token.strip()));
		boolean admin = authentication.getAuthorities()
			.stream()
			.anyMatch((authority) -> UserTokens.ADMIN.equals(authority.getAuthority()));
		if (!admin) {
			throw new NotAnAdminException();
		}
		return authentication;
	}

	/** A valid token, of somebody who is no admin. */
	static final class NotAnAdminException extends AuthenticationException {

		NotAnAdminException() {
			super("the token is not an admin's");
		}

	}

}
