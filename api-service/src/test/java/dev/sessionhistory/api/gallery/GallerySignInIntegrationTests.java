package dev.sessionhistory.api.gallery;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing in to the gallery with a real identity provider ({@link IdentityProvider}, Spring
 * Authorization Server), every hop over HTTP and asserted: the gallery sends a browser
 * that is not signed in to its sign-in page, which offers the provider; the authorization
 * request carries PKCE; the provider's login form, the code sent back, its exchange; then an
 * admin has the gallery until signing out, and somebody who is no admin is signed out again. The API itself
 * never takes the gallery's session cookie.
 */
@RealServers
class GallerySignInIntegrationTests extends AbstractSignInIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	private static final String SESSIONS = "/admin/api/gallery/sessions";

	private final CookieClient browser = new CookieClient();

	@Test
	void anAdminSignsInWithTheIdentityProviderUsingPkceAndHasTheGallery() {
		HttpResponse<String> notSignedIn = this.browser.open(this.base + "/admin/");
		assertThat(notSignedIn.statusCode()).isEqualTo(302);
		assertThat(CookieClient.location(notSignedIn)).isEqualTo(this.base + "/admin/sign-in");

		HttpResponse<String> options = this.browser.fetch(this.base + "/admin/sign-in/options");
		assertThat(options.statusCode()).isEqualTo(200);
		JsonNode providers = JSON.readTree(options.body()).get("providers");
		assertThat(providers.size()).isEqualTo(1);
		assertThat(providers.get(0).get("name").asString()).isEqualTo(CLIENT_NAME);
		assertThat(providers.get(0).get("uri").asString()).isEqualTo("/oauth2/authorization/idp");

		String authorize = authorizationRequest();
		Map<String, String> request = CookieClient.query(authorize);
		assertThat(authorize).startsWith(idp.issuer() + "/oauth2/authorize?");
		assertThat(request).containsEntry("response_type", "code")
			.containsEntry("client_id", IdentityProvider.CLIENT_ID)
			.containsEntry("redirect_uri", this.base + "/login/oauth2/code/idp")
			.containsEntry("code_challenge_method", "S256")
			.containsKeys("state", "nonce");
		assertThat(request.get("scope").split(" ")).containsExactlyInAnyOrder("openid", "profile");
		// BASE64URL(SHA-256(verifier)) without padding: 43 characters
		assertThat(request.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");

		String callback = signInAtTheProvider(authorize, "alice");
		assertThat(CookieClient.query(callback)).containsEntry("state", request.get("state")).containsKey("code");
		HttpResponse<String> signedIn = this.browser.open(callback);
		assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
		assertThat(CookieClient.location(signedIn)).isEqualTo(this.base + "/admin/");

		HttpResponse<String> gallery = this.browser.open(this.base + "/admin/");
		assertThat(gallery.statusCode()).isEqualTo(200);
		assertThat(gallery.body()).contains("<title>Session Gallery</title>");
		HttpResponse<String> sessions = this.browser.fetch(this.base + SESSIONS);
		assertThat(sessions.statusCode()).as(sessions.body()).isEqualTo(200);
		assertThat(JSON.readTree(sessions.body()).isArray()).isTrue();

		JsonNode csrf = JSON.readTree(this.browser.fetch(this.base + "/admin/sign-in/options").body()).get("csrf");
		HttpResponse<String> signedOut = this.browser.post(this.base + "/admin/sign-out",
				Map.of(csrf.get("parameter").asString(), csrf.get("token").asString()));
		assertThat(signedOut.statusCode()).isEqualTo(302);
		assertThat(CookieClient.location(signedOut)).isEqualTo(this.base + "/admin/sign-in?signed-out");
		assertThat(this.browser.fetch(this.base + SESSIONS).statusCode()).isEqualTo(401);
	}

	@Test
	void somebodyWhoIsNoAdminIsSignedOutAgainAndSentBackToTheSignInPage() {
		HttpResponse<String> signedIn = this.browser.open(signInAtTheProvider(authorizationRequest(), "bob"));
		assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
		assertThat(CookieClient.location(signedIn)).isEqualTo(this.base + "/admin/");
		// signed in, but the gallery's data answers him as the API answers a user who is no admin
		HttpResponse<String> refused = this.browser.fetch(this.base + SESSIONS);
		assertThat(refused.statusCode()).isEqualTo(404);
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");

		HttpResponse<String> gallery = this.browser.open(this.base + "/admin/");
		assertThat(gallery.statusCode()).isEqualTo(302);
		assertThat(CookieClient.location(gallery)).isEqualTo(this.base + "/admin/sign-in?error=not-admin");
		assertThat(this.browser.fetch(this.base + SESSIONS).statusCode()).isEqualTo(401);
		assertThat(this.browser.open(this.base + "/admin/").statusCode()).isEqualTo(302);
	}

	@Test
	void theApiNeverTakesTheGallerysSessionCookie() {
		String code = this.api.createSession("{}");
		assertThat(this.browser.open(signInAtTheProvider(authorizationRequest(), "alice")).statusCode())
			.isEqualTo(302);
		assertThat(this.browser.fetch(this.base + SESSIONS).statusCode()).isEqualTo(200);

		assertThat(this.browser.fetch(this.base + "/sessions/" + code).statusCode()).isEqualTo(401);
		assertThat(this.browser.fetch(this.base + "/me/sessions").statusCode()).isEqualTo(401);
		assertThat(this.api.get("/sessions/" + code).status()).isEqualTo(200);
	}

	@Test
	void theProviderRefusesAnAuthorizationRequestWithoutPkce() {
		String withPkce = authorizationRequest();
		String withoutPkce = UriComponentsBuilder.fromUriString(withPkce)
			.replaceQueryParam("code_challenge")
			.replaceQueryParam("code_challenge_method")
			.build()
			.toUriString();
		HttpResponse<String> refused = this.browser.open(withoutPkce);
		assertThat(refused.statusCode()).isEqualTo(302);
		String callback = CookieClient.location(refused);
		assertThat(callback).startsWith(this.base + "/login/oauth2/code/idp?");
		Map<String, String> answer = CookieClient.query(callback);
		assertThat(answer).containsEntry("error", "invalid_request").doesNotContainKey("code");
		assertThat(answer.get("error_description")).contains("code_challenge");

		HttpResponse<String> failed = this.browser.open(callback);
		assertThat(failed.statusCode()).isEqualTo(302);
		assertThat(CookieClient.location(failed)).isEqualTo(this.base + "/admin/sign-in?error=sign-in-failed");
		assertThat(this.browser.fetch(this.base + SESSIONS).statusCode()).isEqualTo(401);
	}

	/** The gallery's redirect to the provider, as the sign-in page's link starts it. */
	private String authorizationRequest() {
		HttpResponse<String> redirect = this.browser.open(this.base + "/oauth2/authorization/idp");
		assertThat(redirect.statusCode()).isEqualTo(302);
		return CookieClient.location(redirect);
	}

	/**
	 * Follows the authorization request to the provider's login form, signs in there as
	 * {@code user}, and returns where the provider sends the browser back with the code.
	 */
	private String signInAtTheProvider(String authorize, String user) {
		HttpResponse<String> toLogin = this.browser.open(authorize);
		assertThat(toLogin.statusCode()).isEqualTo(302);
		String login = CookieClient.location(toLogin);
		assertThat(login).isEqualTo(idp.issuer() + "/login");
		HttpResponse<String> form = this.browser.open(login);
		assertThat(form.statusCode()).isEqualTo(200);
		Matcher csrf = CSRF_FIELD.matcher(form.body());
		assertThat(csrf.find()).as(form.body()).isTrue();

		HttpResponse<String> loggedIn = this.browser.post(login,
				Map.of("username", user, "password", IdentityProvider.PASSWORD, "_csrf", csrf.group(1)));
		assertThat(loggedIn.statusCode()).isEqualTo(302);
		String resumed = CookieClient.location(loggedIn);
		assertThat(resumed).startsWith(idp.issuer() + "/oauth2/authorize?");
		HttpResponse<String> authorized = this.browser.open(resumed);
		assertThat(authorized.statusCode()).as(authorized.body()).isEqualTo(302);
		String callback = CookieClient.location(authorized);
		assertThat(callback).startsWith(this.base + "/login/oauth2/code/idp?");
		return callback;
	}

}
