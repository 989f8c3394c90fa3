package dev.sessionhistory.api.gallery;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Erasure in the gallery over HTTP: {@code DELETE /admin/api/gallery/sessions/{code}/{sessionId}}
 * erases for admins only, with a bearer token as it is, with the gallery's cookie only
 * with the CSRF token; {@code GET /admin/api/erasures} lists the erasure log newest first in
 * keyset pages, by who erased, whose data and code, and never anything erased.
 */
@RealServers
class GalleryErasureIntegrationTests extends AbstractApiIntegrationTests {

	private static final String ERASURES = "/admin/api/erasures";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private String adminId;

	private ApiClient admin;

	private String ownerId;

	private ApiClient owner;

	@BeforeEach
	void users() {
		this.adminId = "eraser-" + UUID.randomUUID();
		this.admin = this.api.as(TestTokens.admin(this.adminId));
		this.ownerId = "erased-owner-" + UUID.randomUUID();
		this.owner = this.api.as(TestTokens.user(this.ownerId));
	}

	@Test
	void anAdminsBearerTokenErasesAnArchivedSessionAndTheLogKeepsWhoWhereAndWhyButNoContent() {
		Instance session = create(3);
		assertThat(this.owner.post("/sessions/" + session.code() + "/end").status()).isEqualTo(202);
		this.archiver.archive(session.code(), session.sessionId());
		assertThat(this.owner.get(session.history()).status()).isEqualTo(200);

		Response erased = this.admin.delete(session.gallery() + "?reason=" + encode("asked by the owner, ticket #7"));
		assertThat(erased.status()).as(erased.text()).isEqualTo(204);
		assertThat(this.owner.get(session.history()).status()).isEqualTo(404);
		assertThat(this.admin.get(session.gallery()).status()).isEqualTo(404);
		assertThat(this.jdbc.sql("SELECT count(*) FROM session_history WHERE session_id = ?")
			.param(session.sessionId())
			.query(Integer.class)
			.single()).isZero();
		assertThat(this.admin.delete(session.gallery()).status()).as("a repeat").isEqualTo(204);

		List<JsonNode> rows = list(ERASURES + "?erasedBy=" + encode(this.adminId));
		assertThat(rows).hasSize(1);
		JsonNode row = rows.get(0);
		assertThat(row.propertyNames()).containsExactlyInAnyOrder("id", "at", "erasedBy", "scope", "code",
				"sessionId", "ownerId", "userId", "found", "reason");
		assertThat(row.get("id").asLong()).isPositive();
		assertThat(row.get("erasedBy").asString()).isEqualTo(this.adminId);
		assertThat(row.get("scope").asString()).isEqualTo("session");
		assertThat(row.get("code").asString()).isEqualTo(session.code());
		assertThat(row.get("sessionId").asString()).isEqualTo(session.sessionId().toString());
		assertThat(row.get("ownerId").asString()).isEqualTo(this.ownerId);
		assertThat(row.get("userId").isNull()).isTrue();
		assertThat(row.get("found").asString()).isEqualTo("archived");
		assertThat(row.get("reason").asString()).isEqualTo("asked by the owner, ticket #7");
		assertThat(row.toString()).doesNotContain("secret-0");
	}

	@Test
	void badErasuresAreClientErrorsAndAnUnknownInstanceIsNotFound() {
		Instance session = create(1);
		Instance unknown = new Instance(session.code(), UUID.randomUUID());
		assertThat(this.admin.delete(unknown.gallery()).status()).isEqualTo(404);
		assertThat(this.admin.delete("/admin/api/gallery/sessions/" + session.code() + "/not-a-uuid").status())
			.isEqualTo(400);
		assertThat(this.admin.delete(session.gallery() + "?reason=" + "x".repeat(1001)).status()).isEqualTo(400);
		assertThat(this.admin.delete(session.gallery() + "?reason=a%00b").status()).isEqualTo(400);
		assertThat(this.owner.get(session.history()).json().get("total").asInt()).isEqualTo(1);
	}

	@Test
	void theLogIsNewestFirstInKeysetPagesByWhoErasedWhoseDataAndCode() {
		List<String> codes = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			Instance session = create(1);
			assertThat(this.admin.delete(session.gallery()).status()).isEqualTo(204);
			codes.add(0, session.code());
		}
		// a user's erasure, by another admin: the user's messages in somebody else's session
		String otherCode = "ERASED" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
		this.jdbc.sql("""
				INSERT INTO session_erasure (at, erased_by, scope, session_code, session_id, owner_id, user_id)
				VALUES (clock_timestamp(), 'another-admin', 'messages', ?, ?, 'someone-else', ?)
				""").params(otherCode, UUID.randomUUID(), this.ownerId).update();

		String mine = ERASURES + "?erasedBy=" + encode(this.adminId);
		assertThat(codes(list(mine))).containsExactlyElementsOf(codes);
		List<String> paged = new ArrayList<>();
		String next = mine + "&limit=2";
		int pages = 0;
		while (next != null) {
			assertThat(pages++).isLessThan(5);
			Response response = this.admin.get(next);
			assertThat(response.status()).as(response.text()).isEqualTo(200);
			response.json().values().forEach((row) -> paged.add(row.get("code").asString()));
			next = response.next();
		}
		assertThat(pages).isEqualTo(3);
		assertThat(paged).containsExactlyElementsOf(codes);

		List<String> whose = new ArrayList<>(codes);
		whose.add(0, otherCode);
		assertThat(codes(list(ERASURES + "?userId=" + encode(this.ownerId)))).containsExactlyElementsOf(whose);
		assertThat(codes(list(ERASURES + "?userId=" + encode(this.ownerId) + "&erasedBy=another-admin")))
			.containsExactly(otherCode);
		assertThat(codes(list(ERASURES + "?code=" + codes.get(2)))).containsExactly(codes.get(2));
		assertThat(codes(list(ERASURES + "?code=" + codes.get(2) + "&erasedBy=another-admin"))).isEmpty();
		assertThat(list(ERASURES + "?limit=1000")).hasSizeGreaterThanOrEqualTo(6);

		String cursor = this.admin.get(mine + "&limit=1").next();
		cursor = cursor.substring(cursor.indexOf("cursor=") + 7);
		assertThat(this.admin.get(ERASURES + "?cursor=" + cursor).status()).as("another list's cursor").isEqualTo(400);
		for (String query : new String[] { "colour=red", "erasedBy=", "userId=a%01b", "code=a%20b", "limit=0",
				"cursor=xyz" }) {
			Response response = this.admin.get(ERASURES + "?" + query);
			assertThat(response.status()).as(query).isEqualTo(400);
			assertThat(response.json().get("detail").asString()).as(query).contains("'" + query.split("=")[0] + "'");
		}
	}

	@Test
	void onlyAdminsSeeTheLogOrEraseAndEverybodyElseGetsTheAnswerOfAMissingPath() {
		assertAdminsOnly(ERASURES);
		Instance session = create(2);
		String missing = "/admin/api/gallery/sessions/" + session.code() + "/" + session.sessionId() + "/nothing";
		// the owner may erase it at DELETE /sessions/{code}, not here
		ApiClient accessToken = this.api.as(session.accessToken());
		for (ApiClient caller : List.of(this.owner, accessToken, this.api.anonymous())) {
			Response refused = caller.delete(session.gallery());
			Response absent = caller.delete(missing);
			assertThat(refused.status()).isIn(401, 403, 404).isEqualTo(absent.status());
			assertThat(refused.header("Content-Type")).isEqualTo(absent.header("Content-Type"));
			assertThat(refused.text().replace(session.gallery().substring(1), "PATH"))
				.isEqualTo(absent.text().replace(missing.substring(1), "PATH"));
		}
		assertThat(this.owner.delete(session.gallery()).status()).isEqualTo(404);
		assertThat(this.owner.get(session.history()).json().get("total").asInt()).isEqualTo(2);
		assertThat(this.jdbc.sql("SELECT count(*) FROM session_erasure WHERE session_id = ?")
			.param(session.sessionId())
			.query(Integer.class)
			.single()).isZero();
	}

	@Test
	void theGallerysCookieSessionErasesOnlyWithTheCsrfToken() {
		Instance session = create(2);
		CookieClient browser = new CookieClient();
		String base = "http://127.0.0.1:" + this.port;
		JsonNode csrf = JSON.readTree(browser.fetch(base + "/admin/sign-in/options").body()).get("csrf");
		HttpResponse<String> signedIn = browser.post(base + "/admin/sign-in", Map.of("token",
				TestTokens.admin(this.adminId), csrf.get("parameter").asString(), csrf.get("token").asString()));
		assertThat(CookieClient.location(signedIn)).isEqualTo(base + "/admin/");
		assertThat(browser.fetch(base + session.gallery()).statusCode()).isEqualTo(200);
		String token = browser.cookie("XSRF-TOKEN");
		assertThat(token).isNotBlank();

		HttpResponse<String> without = browser.delete(base + session.gallery());
		assertThat(without.statusCode()).isEqualTo(403);
		assertThat(without.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(browser.delete(base + session.gallery(), "X-XSRF-TOKEN", token + "x").statusCode())
			.isEqualTo(403);
		// the masked token of a form field is no header value
		assertThat(browser.delete(base + session.gallery(), "X-XSRF-TOKEN", csrf.get("token").asString())
			.statusCode()).isEqualTo(403);
		assertThat(this.owner.get(session.history()).json().get("total").asInt()).isEqualTo(2);
		// the API's chain never takes the cookie
		assertThat(browser.delete(base + "/sessions/" + session.code() + "?sessionId=" + session.sessionId(),
				"X-XSRF-TOKEN", token).statusCode()).isEqualTo(401);

		HttpResponse<String> erased = browser.delete(base + session.gallery() + "?reason=by+cookie", "X-XSRF-TOKEN",
				token);
		assertThat(erased.statusCode()).as(erased.body()).isEqualTo(204);
		assertThat(this.owner.get(session.history()).status()).isEqualTo(404);
		JsonNode row = list(ERASURES + "?code=" + session.code()).get(0);
		assertThat(row.get("erasedBy").asString()).isEqualTo(this.adminId);
		assertThat(row.get("found").asString()).isEqualTo("live");
		assertThat(row.get("reason").asString()).isEqualTo("by cookie");
	}

	@Test
	void theApiDescriptionHasBothCallsWithTheLogsColumnsAndFilters() {
		JsonNode docs = this.api.anonymous().get("/v3/api-docs").json();
		JsonNode erase = docs.at("/paths/~1admin~1api~1gallery~1sessions~1{code}~1{sessionId}/delete");
		assertThat(erase.at("/responses/204").isMissingNode()).isFalse();
		assertThat(erase.get("parameters").values().stream().map((parameter) -> parameter.get("name").asString()))
			.containsExactlyInAnyOrder("code", "sessionId", "reason");
		JsonNode list = docs.at("/paths/~1admin~1api~1erasures/get");
		assertThat(list.get("description").asString()).contains("erasedBy", "userId", "code");
		assertThat(list.at("/responses/200/headers/Link").isMissingNode()).isFalse();
		assertThat(docs.at("/components/schemas/ErasureView/properties").propertyNames()).containsExactlyInAnyOrder(
				"id", "at", "erasedBy", "scope", "code", "sessionId", "ownerId", "userId", "found", "reason");
	}

	/** A live instance of the owner's with {@code messages} messages. */
	private Instance create(int messages) {
		Response created = this.owner.postJson("/sessions", "{}");
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		Instance session = new Instance(created.json().get("code").asString(),
				UUID.fromString(created.json().get("sessionId").asString()),
				created.json().get("accessToken").asString());
		for (int i = 0; i < messages; i++) {
			assertThat(this.owner.append(session.code(), "{\"data\":\"secret-" + i + "\"}").status()).isEqualTo(201);
		}
		return session;
	}

	private List<JsonNode> list(String path) {
		Response response = this.admin.get(path);
		assertThat(response.status()).as(response.text()).isEqualTo(200);
		List<JsonNode> rows = new ArrayList<>();
		response.json().values().forEach(rows::add);
		return rows;
	}

	private static List<String> codes(List<JsonNode> rows) {
		return rows.stream().map((row) -> row.get("code").asString()).toList();
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private record Instance(String code, UUID sessionId, String accessToken) {

		Instance(String code, UUID sessionId) {
			this(code, sessionId, null);
		}

		String gallery() {
			return "/admin/api/gallery/sessions/" + this.code + "/" + this.sessionId;
		}

		String history() {
			return "/sessions/" + this.code + "/history?sessionId=" + this.sessionId;
		}

	}

}
