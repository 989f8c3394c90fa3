package dev.sessionhistory.api.user;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /me/sessions} and {@code GET /admin/api/sessions?userId=}: a user's sessions,
 * owned and joined, live, ended and archived, paged across Redis and PostgreSQL, with a
 * code reused by another owner.
 */
@RealServers
class UserSessionsIntegrationTests extends AbstractApiIntegrationTests {

	private final String aliceId = "auth0|alice/" + UUID.randomUUID();

	private final String bobId = "bob-" + UUID.randomUUID();

	private ApiClient alice;

	private ApiClient bob;

	@BeforeEach
	void signIn() {
		this.alice = this.api.as(TestTokens.user(this.aliceId));
		this.bob = this.api.as(TestTokens.user(this.bobId));
	}

	@Test
	void aUsersSessionsArePagedLiveFirstThenArchivedEachOnceWithACodeReusedByAnotherOwner() {
		String code = "RU" + UUID.randomUUID().toString().substring(0, 6).toUpperCase().replace('-', 'X');
		Response reused = this.alice.postJson("/sessions", "{\"code\":\"" + code + "\"}");
		UUID archivedId = UUID.fromString(reused.json().get("sessionId").asString());
		assertThat(this.alice.append(code, "{\"id\":\"a1\",\"data\":1}").status()).isEqualTo(201);
		assertThat(this.alice.post("/sessions/" + code + "/end").status()).isEqualTo(202);
		this.archiver.archive(code, archivedId);
		Response bobs = this.bob.postJson("/sessions", "{\"code\":\"" + code + "\"}");
		assertThat(bobs.status()).as(bobs.text()).isEqualTo(201);
		String readToken = this.api.as(bobs.json().get("accessToken").asString())
			.postJson("/sessions/" + code + "/tokens", "{\"rights\":[\"read\"]}")
			.json()
			.get("accessToken")
			.asString();
		assertThat(this.alice.postJson("/sessions/" + code + "/participants", "{\"accessToken\":\"" + readToken + "\"}")
			.status()).isEqualTo(200);
		String ended = this.alice.createSession("{}");
		assertThat(this.alice.post("/sessions/" + ended + "/end").status()).isEqualTo(202);
		String live = this.alice.createSession("{}");
		assertThat(this.alice.append(live, "{\"id\":\"l1\",\"data\":1}").status()).isEqualTo(201);

		List<JsonNode> all = pages(this.alice, "/me/sessions?limit=1");
		assertThat(all).extracting((item) -> item.get("code").asString() + " " + item.get("role").asString() + " "
				+ item.get("status").asString())
			.containsExactly(live + " owner live", ended + " owner ended", code + " participant live",
					code + " owner archived");
		assertThat(all.get(0).get("messageCount").asLong()).isEqualTo(1);
		assertThat(all.get(0).get("endedAt").isNull()).isTrue();
		assertThat(all.get(3).get("sessionId").asString()).isEqualTo(archivedId.toString());
		assertThat(all.get(3).get("messageCount").asLong()).isEqualTo(1);
		assertThat(pages(this.alice, "/me/sessions?limit=2")).isEqualTo(all);
		assertThat(pages(this.alice, "/me/sessions?status=live")).extracting((item) -> item.get("code").asString())
			.containsExactly(live, code);
		assertThat(pages(this.alice, "/me/sessions?status=ended&limit=1")).extracting((item) -> item.get("code").asString())
			.containsExactly(ended, code);
		assertThat(pages(this.bob, "/me/sessions")).extracting((item) -> item.get("role").asString() + " "
				+ item.get("status").asString()).containsExactly("owner live");

		// an admin lists any user's, the same way; to everybody else the path does not exist
		String ofAlice = "/admin/api/sessions?userId=" + URLEncoder.encode(this.aliceId, StandardCharsets.UTF_8);
		assertThat(pages(this.api, ofAlice + "&limit=3")).isEqualTo(all);
		Response refused = this.bob.get(ofAlice);
		Response absent = this.bob.get("/admin/api/nothing-here");
		assertThat(refused.status()).isEqualTo(404);
		assertThat(refused.text().replace("admin/api/sessions", "PATH"))
			.isEqualTo(absent.text().replace("admin/api/nothing-here", "PATH"));
		assertThat(this.api.get("/admin/api/sessions").status()).isEqualTo(400);
	}

	@Test
	void anEntryWhoseInstanceIsGoneIsDroppedFromTheIndexWhenListed() {
		String gone = this.alice.createSession("{}");
		UUID goneId = this.api.sessionId(gone);
		String kept = this.alice.createSession("{}");
		// a foreign writer's cleanup, or an archive whose row the index never heard of
		this.redis.delete(List.of(this.keys.meta(gone, goneId), this.keys.live(gone)));
		assertThat(pages(this.alice, "/me/sessions")).extracting((item) -> item.get("code").asString())
			.containsExactly(kept);
		assertThat(this.redis.opsForZSet().size(this.keys.userSessions(this.aliceId))).isEqualTo(1);
	}

	@Test
	void onlyUsersHaveTheirOwnListAndAStatusOrCursorOfAnotherListIsRefused() {
		assertThat(this.api.anonymous().get("/me/sessions").status()).isEqualTo(401);
		Response created = this.api.anonymous().postJson("/sessions", "{}");
		Response byToken = this.api.as(created.json().get("accessToken").asString()).get("/me/sessions");
		assertThat(byToken.status()).isEqualTo(401);
		assertThat(byToken.header("WWW-Authenticate")).startsWith("Bearer");
		assertThat(this.alice.get("/me/sessions?status=open").status()).isEqualTo(400);
		this.alice.createSession("{}");
		this.alice.createSession("{}");
		String next = link(this.alice.get("/me/sessions?limit=1"));
		String cursor = next.substring(next.indexOf("cursor=") + 7);
		assertThat(this.bob.get("/me/sessions?limit=1&cursor=" + cursor).status()).isEqualTo(400);
		assertThat(this.alice.get("/me/sessions?status=live&limit=1&cursor=" + cursor).status()).isEqualTo(400);
	}

	private static List<JsonNode> pages(ApiClient client, String first) {
		List<JsonNode> items = new ArrayList<>();
		String next = first;
		for (int page = 0; next != null; page++) {
			assertThat(page).as("pages").isLessThan(50);
			Response response = client.get(next);
			assertThat(response.status()).as(response.text()).isEqualTo(200);
			response.json().values().forEach(items::add);
			next = link(response);
		}
		return items;
	}

	private static String link(Response response) {
		String link = response.header("Link");
		if (link == null) {
			return null;
		}
		assertThat(link).endsWith(">; rel=\"next\"");
		return link.substring(1, link.indexOf('>'));
	}

}
