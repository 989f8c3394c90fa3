package dev.sessionhistory.api.security;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.testsupport.RealServers;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing in to the gallery with a token, over HTTP as a browser does it (cookies kept,
 * redirects not followed): the CSRF token is required, the session lasts no longer than the
 * token, and the session cookie opens the gallery only, never the API.
 */
@RealServers
class TokenSignInIntegrationTests extends AbstractApiIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private HttpClient browser;

	@BeforeEach
	void newBrowser() {
		this.browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
	}

	@Test
	void anAdminsTokenOpensASessionForTheGalleryOnly() throws Exception {
		HttpResponse<String> signedIn = signIn(TestTokens.admin(), csrf());
		assertThat(signedIn.statusCode()).isEqualTo(302);
		assertThat(signedIn.headers().firstValue("Location")).hasValueSatisfying((to) -> assertThat(to).endsWith("/admin/"));
		assertThat(signedIn.headers().allValues("Set-Cookie")).anySatisfy((cookie) -> assertThat(cookie)
			.startsWith("JSESSIONID=").contains("HttpOnly"));

		assertThat(get("/admin/").statusCode()).isEqualTo(200);
		assertThat(get("/admin/api/gallery/sessions").statusCode()).isEqualTo(200);
		// the API's chain is stateless: the gallery's cookie is no credential there
		String code = this.api.createSession("{}");
		assertThat(get("/sessions/" + code).statusCode()).isEqualTo(401);
		assertThat(get("/admin/api/sessions?userId=u").statusCode()).isEqualTo(200);

		HttpResponse<String> signedOut = send(HttpRequest.newBuilder(uri("/admin/sign-out"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("_csrf=" + encode(csrf()))));
		assertThat(signedOut.statusCode()).isEqualTo(302);
		assertThat(get("/admin/").statusCode()).isEqualTo(302);
	}

	@Test
	void withoutTheCsrfTokenNobodyIsSignedIn() throws Exception {
		csrf(); // the cookie is there, but the form does not carry the token
		HttpResponse<String> refused = signIn(TestTokens.admin(), null);
		assertThat(refused.statusCode()).isEqualTo(302);
		assertThat(refused.headers().firstValue("Location"))
			.hasValueSatisfying((to) -> assertThat(to).endsWith("/admin/sign-in?error=expired-form"));
		HttpResponse<String> page = get("/admin/");
		assertThat(page.statusCode()).isEqualTo(302);
		assertThat(page.headers().firstValue("Location")).hasValueSatisfying((to) -> assertThat(to).endsWith("/admin/sign-in"));
	}

	@Test
	void theSessionEndsWhenTheTokenExpires() throws Exception {
		String shortLived = TestTokens.sign(TestTokens.USER_SECRET,
				new JWTClaimsSet.Builder().subject("admin-brief").claim("app_metadata", java.util.Map.of("role", "admin")),
				Instant.now().plusSeconds(3));
		assertThat(signIn(shortLived, csrf()).statusCode()).isEqualTo(302);
		assertThat(get("/admin/").statusCode()).isEqualTo(200);
		Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
			HttpResponse<String> page = get("/admin/");
			assertThat(page.statusCode()).isEqualTo(302);
			assertThat(get("/admin/api/gallery/sessions").statusCode()).isEqualTo(401);
		});
	}

	@Test
	void aUsersOrASessionsTokenIsNoWayIn() throws Exception {
		HttpResponse<String> user = signIn(TestTokens.user("just-a-user"), csrf());
		assertThat(user.headers().firstValue("Location"))
			.hasValueSatisfying((to) -> assertThat(to).endsWith("/admin/sign-in?error=not-admin"));
		String accessToken = JSON.readTree(this.api.postJson("/sessions", "{}").body()).get("accessToken").asString();
		HttpResponse<String> session = signIn(accessToken, csrf());
		assertThat(session.headers().firstValue("Location"))
			.hasValueSatisfying((to) -> assertThat(to).endsWith("/admin/sign-in?error=not-admin"));
		HttpResponse<String> garbage = signIn("not-a-token", csrf());
		assertThat(garbage.headers().firstValue("Location"))
			.hasValueSatisfying((to) -> assertThat(to).endsWith("/admin/sign-in?error=token-refused"));
		assertThat(get("/admin/").statusCode()).isEqualTo(302);
	}

	private String csrf() throws Exception {
		HttpResponse<String> options = get("/admin/sign-in/options");
		assertThat(options.statusCode()).isEqualTo(200);
		JsonNode body = JSON.readTree(options.body());
		assertThat(body.get("csrf").get("parameter").asString()).isEqualTo("_csrf");
		return body.get("csrf").get("token").asString();
	}

	private HttpResponse<String> signIn(String token, String csrf) throws Exception {
		String form = "token=" + encode(token) + ((csrf != null) ? "&_csrf=" + encode(csrf) : "");
		return send(HttpRequest.newBuilder(uri("/admin/sign-in"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form)));
	}

	private HttpResponse<String> get(String path) throws Exception {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
