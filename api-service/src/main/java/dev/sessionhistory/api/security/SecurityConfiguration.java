package dev.sessionhistory.api.security;

import java.text.ParseException;
import java.time.Clock;

import com.nimbusds.jwt.JWTParser;
import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.model.autoconfigure.PublicHealthAutoConfiguration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The API's security: stateless bearer tokens, one {@link AuthenticationManager} that sends
 * each token to the decoder of its kind by its issuer ({@link SessionTokens#ISSUER} to the
 * API's own, anything else to the users' identity provider, {@link UserTokens}), and 401s
 * before any controller for calls that need a token and came without a valid one. Whether
 * a caller may see or change one session is decided by the features ({@link SessionAccess}),
 * so that an unknown session and a forbidden one answer alike.
 * <p>
 * The actuator's endpoints are open on the management port ({@code management.server.port},
 * for the operator's network only); the public port has the status-only health and nothing
 * else of the actuator. Cross-origin calls follow {@code history.cors.allowed-origins}
 * ({@link CorsPolicy}); Spring Security's default security headers are on.
 * <p>
 * In secure mode the service refuses to start without a session-token secret; in open mode
 * every call is allowed, and health says so.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SecurityConfiguration {

	private static final Log log = LogFactory.getLog(SecurityConfiguration.class);

	/** The memory for tokens verified before ({@link VerifiedTokens}): some 8,000 tokens. */
	private static final long VERIFIED_TOKENS_BYTES = 16L * 1024 * 1024;

	/**
	 * Every bearer token of both filter chains is verified by this one manager (and
	 * remembered once verified).
	 */
	@Bean
	VerifiedTokens verifiedTokens(UserTokens users, SessionTokens sessions, Clock clock) {
		return new VerifiedTokens(tokens(users, sessions), VERIFIED_TOKENS_BYTES, clock);
	}

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, SecuritySettings settings, HistoryProperties properties,
			UserTokens users, VerifiedTokens manager, Environment environment) throws Exception {
		// The actuator is open on a management port of its own only; served on the public
		// port (management.server.port unset or equal to server.port) it is for admins only.
		boolean managementApart = ManagementPortType.get(environment) == ManagementPortType.DIFFERENT;
		boolean open = settings.mode() == SecuritySettings.Mode.OPEN;
		if (open) {
			log.warn("history.security.mode=open: ANYONE WHO CAN REACH THIS API CAN READ, APPEND TO AND END "
					+ "EVERY SESSION. Use it for local development only.");
		}
		else if (settings.sessionToken().secret() == null) {
			throw new IllegalStateException("history.security.mode is secure (the default), but "
					+ "history.security.session-token.secret is not set: set it (at least 32 bytes of random text), "
					+ "or set history.security.mode=open to run without access control");
		}
		if (users.decoder().isEmpty()) {
			log.warn("No verifier of user tokens is configured (spring.security.oauth2.resourceserver.jwt.* or "
					+ "history.security.jwt.hmac-secret): only session access tokens are accepted");
		}
		SecurityProblems problems = new SecurityProblems();
		http.csrf(AbstractHttpConfigurer::disable) // bearer tokens only: no cookie a browser sends by itself
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(AbstractHttpConfigurer::disable)
			// X-Content-Type-Options, X-Frame-Options, HSTS over https, and Cache-Control only
			// where the answer sets none of its own (history pages do: HistoryController)
			.headers(Customizer.withDefaults())
			.cors((cors) -> {
				if (CorsPolicy.isEnabled(properties.cors())) {
					cors.configurationSource(CorsPolicy.source(properties.cors()));
				}
				else {
					cors.disable();
				}
			})
			.authorizeHttpRequests((requests) -> {
				if (open) {
					requests.anyRequest().permitAll();
					return;
				}
				// Every endpoint of the management port (off the public one by default: on the
				// public port this matches nothing); on the public port, the status-only health.
				if (managementApart) {
					requests.requestMatchers(EndpointRequest.toAnyEndpoint()).permitAll();
				}
				else {
					// health with details too: the status-only public health needs the port apart
					requests.requestMatchers(EndpointRequest.toAnyEndpoint()).hasAuthority(UserTokens.ADMIN);
				}
				requests.requestMatchers(HttpMethod.GET, PublicHealthAutoConfiguration.PATH)
					.permitAll()
					.requestMatchers("/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html", "/error")
					.permitAll()
					.requestMatchers(HttpMethod.POST, "/sessions")
					.permitAll()
					.anyRequest()
					.authenticated();
			})
			.oauth2ResourceServer((resourceServer) -> resourceServer
				.authenticationManagerResolver((request) -> manager)
				.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems))
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems));
		return http.build();
	}

	@Bean
	HealthIndicator security(SecuritySettings settings) {
		Health health = (settings.mode() == SecuritySettings.Mode.OPEN)
				? Health.up()
					.withDetail("mode", "open")
					.withDetail("warning", "access control is off: anyone can read, append to and end any session")
					.build()
				: Health.up().withDetail("mode", "secure").build();
		return () -> health;
	}

	/**
	 * Session tokens to their own decoder, by the issuer read from the token before it is
	 * verified (then that decoder verifies everything, the issuer again too).
	 */
	private static AuthenticationManager tokens(UserTokens users, SessionTokens sessions) {
		JwtAuthenticationProvider sessionTokens = new JwtAuthenticationProvider(sessions.decoder());
		sessionTokens.setJwtAuthenticationConverter(
				(jwt) -> new SessionTokenAuthentication(SessionTokens.grant(jwt)));
		JwtAuthenticationProvider userTokens = users.decoder().map((decoder) -> {
			JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
			provider.setJwtAuthenticationConverter(users::authentication);
			return provider;
		}).orElse(null);
		return (Authentication authentication) -> {
			String token = ((BearerTokenAuthenticationToken) authentication).getToken();
			if (SessionTokens.ISSUER.equals(issuer(token))) {
				return sessionTokens.authenticate(authentication);
			}
			if (userTokens == null) {
				throw new InvalidBearerTokenException("user tokens are not accepted here: no verifier is configured");
			}
			return userTokens.authenticate(authentication);
		};
	}

	private static String issuer(String token) {
		try {
			return JWTParser.parse(token).getJWTClaimsSet().getIssuer();
		}
		catch (ParseException ex) {
			throw new InvalidBearerTokenException("the token is no JWT", ex);
		}
	}

}
