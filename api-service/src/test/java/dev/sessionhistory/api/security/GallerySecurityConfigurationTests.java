package dev.sessionhistory.api.security;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gallery's authorization requests carry PKCE for a confidential client that turned
 * Spring Security's own PKCE off (the sign-in against a real identity provider is
 * {@code GallerySignInIntegrationTests}).
 */
class GallerySecurityConfigurationTests {

	@Test
	void everyAuthorizationRequestCarriesPkceWhateverTheRegistrationSays() {
		ClientRegistration withoutPkce = ClientRegistration.withRegistrationId("idp")
			.clientId("gallery")
			.clientSecret("secret")
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
			.scope("openid")
			.authorizationUri("https://idp.example/authorize")
			.tokenUri("https://idp.example/token")
			.clientSettings(ClientRegistration.ClientSettings.builder().requireProofKey(false).build())
			.build();
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/oauth2/authorization/idp");
		request.setServletPath("/oauth2/authorization/idp");

		OAuth2AuthorizationRequest authorization = GallerySecurityConfiguration
			.withPkce(new InMemoryClientRegistrationRepository(withoutPkce))
			.resolve(request);

		assertThat(authorization.getAdditionalParameters()).containsEntry(PkceParameterNames.CODE_CHALLENGE_METHOD,
				"S256");
		assertThat((String) authorization.getAdditionalParameters().get(PkceParameterNames.CODE_CHALLENGE))
			.matches("[A-Za-z0-9_-]{43}");
		assertThat(authorization.<String>getAttribute(PkceParameterNames.CODE_VERIFIER)).isNotBlank();
	}

}
