package dev.sessionhistory.api.gallery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One instance's page in the gallery, live, ended and archived, against real Redis and
 * PostgreSQL; the answers to unknown and malformed instances; and who may ask.
 */
@RealServers
class GalleryInstanceIntegrationTests extends AbstractApiIntegrationTests {

	private static final String SESSIONS = "/admin/api/gallery/sessions/";

	@Test
	void anInstanceShowsItsStateLiveEndedAndArchivedWithItsParticipants() {
		String alice = "auth0|alice-" + UUID.randomUUID();
		String bob = "bob-" + UUID.randomUUID();
		String carol = "carol-" + UUID.randomUUID();
		Response created = this.api.as(TestTokens.user(alice)).postJson("/sessions", "{}");
		String code = created.json().get("code").asString();
		UUID sessionId = UUID.fromString(created.json().get("sessionId").asString());
		String token = created.json().get("accessToken").asString();
		String readOnly = this.api.as(token)
			.postJson("/sessions/" + code + "/tokens", "{\"rights\":[\"read\"]}")
			.json()
			.get("accessToken")
			.asString();
		join(bob, code, readOnly);
		join(carol, code, token);
		for (int i = 0; i < 3; i++) {
			assertThat(this.api.as(token).append(code, "{\"id\":\"m" + i + "\",\"data\":\"é" + i + "\"}").status())
				.isEqualTo(201);
		}
		long storedBytes = this.redis.opsForList()
			.range(this.keys.messages(code, sessionId), 0, -1)
			.stream()
			.mapToLong((message) -> message.getBytes(StandardCharsets.UTF_8).length)
			.sum();
		String path = SESSIONS + code + "/" + sessionId;
		String participants = "[{\"userId\":\"" + bob + "\",\"rights\":[\"read\"]},{\"userId\":\"" + carol
				+ "\",\"rights\":[\"read\",\"append\",\"end\"]}]";

		JsonNode live = detail(path);
		assertThat(live.get("status").asString()).isEqualTo("live");
		assertThat(live.get("code").asString()).isEqualTo(code);
		assertThat(live.get("sessionId").asString()).isEqualTo(sessionId.toString());
		assertThat(live.get("owner").asString()).isEqualTo(alice);
		assertThat(live.get("createdAt").asString()).isEqualTo(created.json().get("createdAt").asString());
		assertThat(live.get("expiresAt").asString())
			.isEqualTo(this.api.get("/sessions/" + code).json().get("expiresAt").asString());
		assertThat(live.get("messageCount").asLong()).isEqualTo(3);
		assertThat(live.get("messageBytes").asLong()).isEqualTo(storedBytes);
		assertThat(live.get("participants").toString()).isEqualTo(participants);
		for (String absent : new String[] { "endedAt", "endReason", "archivedAt", "archiveLagMillis" }) {
			assertThat(live.get(absent).isNull()).as(absent).isTrue();
		}

		assertThat(this.api.post("/sessions/" + code + "/end").status()).isEqualTo(202);
		JsonNode ended = detail(path);
		assertThat(ended.get("status").asString()).isEqualTo("ended");
		assertThat(ended.get("endReason").asString()).isEqualTo("ended");
		assertThat(ended.get("endedAt").asString())
			.isEqualTo(this.api.get("/sessions/" + code).json().get("endedAt").asString());
		assertThat(ended.get("expiresAt").isNull()).isTrue();
		assertThat(ended.get("archivedAt").isNull()).isTrue();
		assertThat(ended.get("participants").toString()).isEqualTo(participants);

		this.archiver.archive(code, sessionId);
		JsonNode archived = detail(path);
		assertThat(archived.get("status").asString()).isEqualTo("archived");
		assertThat(archived.get("owner").asString()).isEqualTo(alice);
		assertThat(archived.get("createdAt").asString()).isEqualTo(live.get("createdAt").asString());
		assertThat(archived.get("endedAt").asString()).isEqualTo(ended.get("endedAt").asString());
		assertThat(archived.get("endReason").asString()).isEqualTo("ended");
		assertThat(archived.get("expiresAt").isNull()).isTrue();
		assertThat(archived.get("messageCount").asLong()).isEqualTo(3);
		assertThat(archived.get("messageBytes").asLong()).isEqualTo(storedBytes);
		assertThat(archived.get("participants").toString()).isEqualTo(participants);
		Instant archivedAt = Instant.parse(archived.get("archivedAt").asString());
		Instant endedAt = Instant.parse(archived.get("endedAt").asString());
		assertThat(archived.get("archiveLagMillis").asLong()).isEqualTo(Duration.between(endedAt, archivedAt).toMillis())
			.isNotNegative();
	}

	@Test
	void anUnknownInstanceIsTheApisNotFoundAndAMalformedOneABadRequest() {
		String code = this.api.createSession("{}");
		UUID unknown = UUID.randomUUID();
		String expected = this.api.get("/sessions/" + code + "/history?sessionId=" + unknown)
			.json()
			.get("detail")
			.asString();
		assertThat(expected).isEqualTo("No session '" + unknown + "' with code '" + code + "'");
		for (String suffix : new String[] { "", "/history", "/export", "/export?format=ndjson" }) {
			Response response = this.api.get(SESSIONS + code + "/" + unknown + suffix);
			assertThat(response.status()).as(suffix).isEqualTo(404);
			assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
			assertThat(response.json().get("detail").asString()).isEqualTo(expected);
			assertThat(response.header("Content-Disposition")).isNull();
		}
		UUID sessionId = this.api.sessionId(code);
		for (String path : new String[] { "a%20b/" + sessionId, "x".repeat(65) + "/" + sessionId, code + "/not-a-uuid",
				code + "/1-1-1-1-1" }) {
			for (String suffix : new String[] { "", "/history", "/export" }) {
				Response response = this.api.get(SESSIONS + path + suffix);
				assertThat(response.status()).as(path + suffix).isEqualTo(400);
				assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
				assertThat(response.json().get("detail").asString()).as(path)
					.containsAnyOf("The code must match", "'sessionId' must be a UUID");
			}
		}
		Response format = this.api.get(SESSIONS + code + "/" + sessionId + "/export?format=xml");
		assertThat(format.status()).isEqualTo(400);
		assertThat(format.json().get("detail").asString()).contains("'format'");
		assertThat(this.api.get(SESSIONS + code + "/" + sessionId + "/history?limit=0").status()).isEqualTo(400);
	}

	@Test
	void onlyAdminsReachAnInstanceAndEveryOtherCallerGetsThePathsUsualAnswers() {
		Response created = this.api.anonymous().postJson("/sessions", "{}");
		String code = created.json().get("code").asString();
		ApiClient holder = this.api.as(created.json().get("accessToken").asString());
		ApiClient user = this.api.as(TestTokens.user("someone-" + UUID.randomUUID()));
		Response absent = user.get("/admin/api/gallery/nothing-here");
		for (String suffix : new String[] { "", "/history", "/export" }) {
			String path = SESSIONS + code + "/" + created.json().get("sessionId").asString() + suffix;
			assertThat(this.api.get(path).status()).as(path).isEqualTo(200);
			Response refused = user.get(path);
			assertThat(refused.status()).as(path).isEqualTo(404);
			assertThat(refused.text().replace(path.substring(1), "PATH"))
				.isEqualTo(absent.text().replace("admin/api/gallery/nothing-here", "PATH"));
			assertThat(holder.get(path).status()).as("a session token of the very session").isEqualTo(404);
			assertThat(this.api.anonymous().get(path).status()).isEqualTo(401);
		}
	}

	@Test
	void theEndpointsAreInTheApiDescription() {
		JsonNode paths = this.api.get("/v3/api-docs").json().get("paths");
		String instance = "/admin/api/gallery/sessions/{code}/{sessionId}";
		JsonNode detail = paths.get(instance).get("get");
		assertThat(detail.get("parameters").findValuesAsString("name")).containsExactly("code", "sessionId");
		assertThat(detail.at("/responses/200/content/application~1json/schema/$ref").asString())
			.endsWith("GalleryInstanceView");
		JsonNode history = paths.get(instance + "/history").get("get");
		assertThat(history.get("parameters").findValuesAsString("name")).containsExactly("code", "sessionId", "limit",
				"before", "after");
		assertThat(history.at("/responses/200/content/application~1json/schema/$ref").asString())
			.isEqualTo("#/components/schemas/History");
		JsonNode export = paths.get(instance + "/export").get("get");
		assertThat(export.get("parameters").findValuesAsString("name")).containsExactly("code", "sessionId", "format");
		assertThat(export.at("/responses/200/content").propertyNames()).containsExactly("application/json",
				"application/x-ndjson");
		assertThat(export.at("/responses/200/headers").has("Content-Disposition")).isTrue();
		JsonNode audit = paths.get("/admin/api/audit").get("get");
		assertThat(audit.at("/responses/200/headers").has("Link")).isTrue();
		assertThat(audit.at("/responses/200/content/application~1json/schema/items/$ref").asString())
			.endsWith("AuditView");
	}

	private JsonNode detail(String path) {
		Response response = this.api.get(path);
		assertThat(response.status()).as(response.text()).isEqualTo(200);
		assertThat(response.header("Cache-Control")).isEqualTo("no-store");
		return response.json();
	}

	private void join(String userId, String code, String accessToken) {
		Response joined = this.api.as(TestTokens.user(userId))
			.postJson("/sessions/" + code + "/participants", "{\"accessToken\":\"" + accessToken + "\"}");
		assertThat(joined.status()).as(joined.text()).isEqualTo(200);
	}

}
