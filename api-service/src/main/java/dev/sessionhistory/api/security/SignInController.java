package dev.sessionhistory.api.security;

import java.util.ArrayList;
import java.util.List;

import io.swagger.v3.oas.annotations.Hidden;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The gallery's sign-in page, and what it offers: the identity providers configured for
 * OAuth2 login, and the CSRF token the page posts an admin's token with. Not part of the
 * API's description: it serves the browser only.
 */
@Controller
@Hidden
class SignInController {

	private final List<Provider> providers;

	SignInController(ObjectProvider<ClientRegistrationRepository> clients) {
		List<Provider> providers = new ArrayList<>();
		// Boot's repository (InMemoryClientRegistrationRepository) lists its registrations
		if (clients.getIfAvailable() instanceof Iterable<?> registrations) {
			for (Object registration : registrations) {
				ClientRegistration client = (ClientRegistration) registration;
				providers.add(new Provider(client.getClientName(),
						OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI + "/"
								+ client.getRegistrationId()));
			}
		}
		this.providers = List.copyOf(providers);
	}

	@GetMapping(GallerySecurityConfiguration.SIGN_IN)
	String page() {
		return "forward:/admin/assets/sign-in.html";
	}

	@GetMapping(path = GallerySecurityConfiguration.SIGN_IN + "/options", produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseBody
	ResponseEntity<Options> options(CsrfToken csrf) {
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.body(new Options(this.providers, new Csrf(csrf.getParameterName(), csrf.getToken())));
	}

	/**
	 * @param providers where to sign in with an identity provider
	 * @param csrf the field the token form posts
	 */
	record Options(List<Provider> providers, Csrf csrf) {
	}

	record Provider(String name, String uri) {
	}

	record Csrf(String parameter, String token) {
	}

}
