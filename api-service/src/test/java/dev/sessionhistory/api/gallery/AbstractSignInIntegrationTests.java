package dev.sessionhistory.api.gallery;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the tests of signing in with an identity provider share: a provider of the class's
 * own ({@link IdentityProvider}), started before the API (which reads its metadata when it
 * starts) and stopped after the class, and the API's client registration for it in nothing
 * but Spring Boot's standard properties. Admins are who have the role
 * {@value IdentityProvider#ADMIN_ROLE} in the {@code roles} claim of their ID token. The API
 * is called at {@code 127.0.0.1} ({@link #base}), the provider at {@code localhost}.
 */
abstract class AbstractSignInIntegrationTests extends AbstractApiIntegrationTests {

	static final String CLIENT_NAME = "Example IdP";

	static IdentityProvider idp;

	/** The API's address, as the browser calls it. */
	String base;

	@BeforeAll
	static void startIdentityProvider() {
		idp = IdentityProvider.start();
	}

	@AfterAll
	static void stopIdentityProvider() {
		idp.close();
	}

	@DynamicPropertySource
	static void registerTheIdentityProvider(DynamicPropertyRegistry registry) {
		String registration = "spring.security.oauth2.client.registration." + IdentityProvider.REGISTRATION_ID;
		registry.add(registration + ".client-id", () -> IdentityProvider.CLIENT_ID);
		registry.add(registration + ".client-secret", () -> IdentityProvider.CLIENT_SECRET);
		registry.add(registration + ".client-name", () -> CLIENT_NAME);
		registry.add(registration + ".client-authentication-method", () -> "client_secret_basic");
		registry.add(registration + ".authorization-grant-type", () -> "authorization_code");
		registry.add(registration + ".scope", () -> "openid,profile");
		registry.add("spring.security.oauth2.client.provider." + IdentityProvider.REGISTRATION_ID + ".issuer-uri",
				() -> idp.issuer());
		registry.add("history.security.admin-claim", () -> IdentityProvider.ROLES_CLAIM);
		registry.add("history.security.admin-claim-value", () -> IdentityProvider.ADMIN_ROLE);
	}

	@BeforeEach
	void registerTheGallery() {
		this.base = "http://127.0.0.1:" + this.port;
		idp.acceptRedirectsTo(this.base);
	}

}
