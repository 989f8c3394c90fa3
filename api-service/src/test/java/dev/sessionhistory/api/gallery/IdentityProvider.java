package dev.sessionhistory.api.gallery;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A real identity provider for the gallery's sign-in tests: Spring Authorization Server
 * with OpenID Connect, in an application context of its own on a random port of
 * {@code localhost} (the API runs on {@code 127.0.0.1}: another host, so that the two
 * keep their cookies apart as a browser does, and a redirect URI the server accepts).
 * Its users sign in with its form login: {@code alice}, whose ID token carries the role
 * {@value #ADMIN_ROLE} in its {@code roles} claim, and {@code bob}, who has another role.
 * <p>
 * One confidential client (client_secret_basic, authorization code, scopes openid and
 * profile, no consent screen) that must send PKCE; the server knows it once the API's
 * address is known ({@link #acceptRedirectsTo}), since the API asks this server for its
 * metadata when it starts. Only the auto-configuration of a servlet web server is imported:
 * nothing of the API's packages, beans or settings ({@code spring.config.name} is one of
 * its own, so the API's {@code application.yml} is not read).
 */
final class IdentityProvider implements AutoCloseable {

	static final String REGISTRATION_ID = "idp";

	static final String CLIENT_ID = "session-gallery";

	static final String CLIENT_SECRET = "gallery-client-secret";

	/** The claim of the users' roles in their ID tokens, and the role of admins. */
	static final String ROLES_CLAIM = "roles";

	static final String ADMIN_ROLE = "history-admin";

	/** Both users' password. */
	static final String PASSWORD = "correct horse battery staple";

	private final ConfigurableApplicationContext context;

	private IdentityProvider(ConfigurableApplicationContext context) {
		this.context = context;
	}

	static IdentityProvider start() {
		return new IdentityProvider(new SpringApplicationBuilder(Server.class).web(WebApplicationType.SERVLET)
			.properties("spring.config.name=identity-provider", "spring.main.banner-mode=off", "server.port=0",
					"server.address=127.0.0.1")
			.run());
	}

	/** Where the API finds the server's metadata, and what its tokens name as their issuer. */
	String issuer() {
		return "http://localhost:" + this.context.getEnvironment().getProperty("local.server.port");
	}

	/** Registers the client with the redirect URI of the API at {@code apiBase}. */
	void acceptRedirectsTo(String apiBase) {
		RegisteredClient client = RegisteredClient.withId(CLIENT_ID)
			.clientId(CLIENT_ID)
			.clientSecret("{noop}" + CLIENT_SECRET)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri(apiBase + "/login/oauth2/code/" + REGISTRATION_ID)
			.scope(OidcScopes.OPENID)
			.scope(OidcScopes.PROFILE)
			.clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
			.build();
		this.context.getBean(RegisteredClientRepository.class).save(client);
	}

	@Override
	public void close() {
		this.context.close();
	}

	/** A test configuration: never found by the API's component scan. */
	@TestConfiguration(proxyBeanMethods = false)
	@EnableWebSecurity
	@ImportAutoConfiguration({ TomcatServletWebServerAutoConfiguration.class,
			DispatcherServletAutoConfiguration.class })
	static class Server {

		@Bean
		SecurityFilterChain identityProviderSecurity(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.formLogin(Customizer.withDefaults())
				.oauth2AuthorizationServer((server) -> server.oidc(Customizer.withDefaults()));
			return http.build();
		}

		@Bean
		UserDetailsService users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password("{noop}" + PASSWORD).roles(ADMIN_ROLE).build(),
					User.withUsername("bob").password("{noop}" + PASSWORD).roles("reader").build());
		}

		/** The client, once {@link IdentityProvider#acceptRedirectsTo} has registered it. */
		@Bean
		RegisteredClientRepository clients() {
			AtomicReference<RegisteredClient> registered = new AtomicReference<>();
			return new RegisteredClientRepository() {

				@Override
				public void save(RegisteredClient client) {
					registered.set(client);
				}

				@Override
				public RegisteredClient findById(String id) {
					RegisteredClient client = registered.get();
					return (client != null && client.getId().equals(id)) ? client : null;
				}

				@Override
				public RegisteredClient findByClientId(String clientId) {
					RegisteredClient client = registered.get();
					return (client != null && client.getClientId().equals(clientId)) ? client : null;
				}

			};
		}

		/** The user's roles (their authorities {@code ROLE_*}) in the ID token. */
		@Bean
		OAuth2TokenCustomizer<JwtEncodingContext> rolesInIdTokens() {
			return (context) -> {
				if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
					List<String> roles = context.getPrincipal()
						.getAuthorities()
						.stream()
						.map(GrantedAuthority::getAuthority)
						.filter((authority) -> authority.startsWith("ROLE_"))
						.map((authority) -> authority.substring("ROLE_".length()))
						.toList();
					context.getClaims().claim(ROLES_CLAIM, roles);
				}
			};
		}

		@Bean
		JWKSource<SecurityContext> keys() throws NoSuchAlgorithmException {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			KeyPair pair = generator.generateKeyPair();
			RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
				.keyID(UUID.randomUUID().toString())
				.build();
			return new ImmutableJWKSet<>(new JWKSet(key));
		}

		/** For the user info endpoint, which takes the access tokens this server issues. */
		@Bean
		JwtDecoder accessTokens(JWKSource<SecurityContext> keys) {
			return OAuth2AuthorizationServerConfiguration.jwtDecoder(keys);
		}

		@Bean
		AuthorizationServerSettings authorizationServerSettings() {
			return AuthorizationServerSettings.builder().build();
		}

	}

}
