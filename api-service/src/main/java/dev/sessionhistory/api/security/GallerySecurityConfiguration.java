package dev.sessionhistory.api.security;

import java.io.IOException;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.core.user.OAuth2UserAuthority;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

/**
 * The security of the Session Gallery ({@code /admin/**}), a filter chain of its own before
 * the API's: a browser signs in once and then carries a session cookie, which the API's
 * stateless chain never reads. Two ways in, both ending in the same signed-in session:
 * <ul>
 * <li>with the identity provider, by OAuth2 login (authorization code with PKCE, always),
 * when Spring Boot's {@code spring.security.oauth2.client.registration.*} properties
 * configure a client; an admin is who has the scope {@value UserTokens#ADMIN} or the
 * {@code history.security.admin-claim} among the user's claims, as for tokens;</li>
 * <li>with an admin's bearer token, posted to {@code /admin/sign-in} ({@link TokenSignInFilter};
 * the link {@code ./run.sh} prints does this for the local admin).</li>
 * </ul>
 * The JSON endpoints ({@code /admin/api/**}) also take a bearer token, for scripts, and answer
 * 401 and 404 as the API does; pages answer a browser that is not signed in with a redirect
 * to the sign-in page, and one signed in as somebody who is no admin with the sign-in page
 * again (it is signed out first). CSRF protection is on for the session (the token in a
 * cookie the page reads, Spring Security's single-page-application setup); requests with a
 * bearer token need none. The pages may load nothing from other origins (Content Security
 * Policy), since they show data written by anybody.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class GallerySecurityConfiguration {

	static final String SIGN_IN = "/admin/sign-in";

	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
			+ "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

	@Bean
	@Order(1)
	SecurityFilterChain gallerySecurity(HttpSecurity http, SecuritySettings settings, VerifiedTokens manager,
			ObjectProvider<ClientRegistrationRepository> clients, Clock clock) throws Exception {
		boolean open = settings.mode() == SecuritySettings.Mode.OPEN;
		ClientRegistrationRepository registrations = clients.getIfAvailable();
		RequestMatcher api = pathPattern("/admin/api/**");
		SecurityProblems problems = new SecurityProblems();
		http.securityMatcher("/admin", "/admin/**", "/oauth2/authorization/*",
				"/login/oauth2/code/*")
			.csrf((csrf) -> csrf.spa())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
			.requestCache((cache) -> cache.disable()) // after signing in: the gallery's first page
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
			.authorizeHttpRequests((requests) -> {
				if (open) {
					requests.anyRequest().permitAll();
					return;
				}
				requests.requestMatchers(pathPattern(SIGN_IN), pathPattern(SIGN_IN + "/**"),
						pathPattern("/admin/assets/**"))
					.permitAll()
					// the controllers answer everybody but admins as a path that does not exist
					.requestMatchers(api)
					.authenticated()
					.anyRequest()
					.hasAuthority(UserTokens.ADMIN);
			})
			.addFilterBefore(new TokenSignInFilter(manager), OAuth2AuthorizationRequestRedirectFilter.class)
			.addFilterAfter(new ExpiredSignIns(clock), SecurityContextHolderFilter.class)
			.oauth2ResourceServer((resourceServer) -> resourceServer
				.authenticationManagerResolver((request) -> manager)
				.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems))
			.exceptionHandling((exceptions) -> exceptions.defaultAuthenticationEntryPointFor(problems, api)
				.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(SIGN_IN),
						(request) -> true)
				.defaultAccessDeniedHandlerFor(problems, api)
				.defaultAccessDeniedHandlerFor((request, response, ex) -> {
					if (ex instanceof CsrfException) {
						// a form without its CSRF token, or an old one: nobody is signed in or out
						response.sendRedirect(SIGN_IN + "?error=expired-form");
						return;
					}
					signOut(request);
					response.sendRedirect(SIGN_IN + "?error=not-admin");
				}, (request) -> true))
			.logout((logout) -> logout.logoutRequestMatcher(pathPattern(HttpMethod.POST, "/admin/sign-out"))
				.logoutSuccessUrl(SIGN_IN + "?signed-out"));
		if (registrations != null) {
			http.oauth2Login((login) -> login.loginPage(SIGN_IN)
				.authorizationEndpoint((authorization) -> authorization
					.authorizationRequestResolver(withPkce(registrations)))
				.defaultSuccessUrl("/admin/", true)
				.failureUrl(SIGN_IN + "?error=sign-in-failed"));
		}
		return http.build();
	}

	/**
	 * Admins among the users who sign in with the identity provider, by the same rule as
	 * for their tokens ({@link UserTokens#isAdmin}) over the claims of their ID token and
	 * user info, and the scopes granted.
	 */
	@Bean
	GrantedAuthoritiesMapper galleryAdmins(UserTokens users) {
		return (authorities) -> {
			Set<GrantedAuthority> mapped = new HashSet<>(authorities);
			boolean admin = authorities.stream()
				.anyMatch((authority) -> ("SCOPE_" + UserTokens.ADMIN).equals(authority.getAuthority())
						|| (authority instanceof OAuth2UserAuthority user && users.isAdmin(user.getAttributes())));
			if (admin) {
				mapped.add(new SimpleGrantedAuthority(UserTokens.ADMIN));
			}
			return mapped;
		};
	}

	/**
	 * PKCE for every client, confidential ones too, as OAuth 2.1 and the OAuth security best
	 * current practice ask. Spring Security 7 sends it by default, but a registration may turn
	 * that off ({@code ClientRegistration.ClientSettings.requireProofKey(false)}); the gallery
	 * sends it whatever the registration says.
	 */
	static OAuth2AuthorizationRequestResolver withPkce(ClientRegistrationRepository registrations) {
		DefaultOAuth2AuthorizationRequestResolver resolver = new DefaultOAuth2AuthorizationRequestResolver(
				registrations, OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI);
		resolver.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
		return resolver;
	}

	static void signOut(HttpServletRequest request) {
		SecurityContextHolder.clearContext();
		HttpSession session = request.getSession(false);
		if (session != null) {
			session.invalidate();
		}
	}

	/**
	 * Ends a session signed in with a token when the token expires: the session does not
	 * outlive what it was opened with.
	 */
	static final class ExpiredSignIns extends OncePerRequestFilter {

		private final Clock clock;

		ExpiredSignIns(Clock clock) {
			this.clock = clock;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			if (authentication instanceof VerifiedTokens.Expiring expiring && !expiring.expiresAt().isAfter(this.clock.instant())) {
				signOut(request);
			}
			chain.doFilter(request, response);
		}

	}

}
