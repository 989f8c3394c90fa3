package dev.sessionhistory.api.security;

import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who created a session and who wrote in it is recorded from the verified token, never
 * from the request's body: the creating user as the instance's owner, an appending user as
 * the message's {@code userId} and as a participant; a session token's holder as nobody.
 */
@RealServers
class RecordedIdentitiesIntegrationTests extends AbstractApiIntegrationTests {

	@Test
	void theCreatingUserOwnsTheInstanceAndAnonymousCreatesHaveNoOwner() {
		String code = "OW" + UUID.randomUUID().toString().substring(0, 6).toUpperCase().replace('-', 'X');
		Response created = this.api.as(TestTokens.user("auth0|alice")).postJson("/sessions",
				"{\"code\":\"" + code + "\"}");
		assertThat(created.status()).isEqualTo(201);
		UUID sessionId = UUID.fromString(created.json().get("sessionId").asString());
		assertThat(this.redis.opsForHash().get(this.keys.meta(code, sessionId), "owner")).isEqualTo("auth0|alice");

		Response anonymous = this.api.anonymous().postJson("/sessions", "{}");
		String other = anonymous.json().get("code").asString();
		UUID otherId = UUID.fromString(anonymous.json().get("sessionId").asString());
		assertThat(this.redis.opsForHash().get(this.keys.meta(other, otherId), "owner")).isNull();
	}

	@Test
	void anAppendingUserIsStampedOnTheMessageAndJoinsATokenHolderIsNot() {
		Response created = this.api.anonymous().postJson("/sessions", "{}");
		String code = created.json().get("code").asString();
		UUID sessionId = UUID.fromString(created.json().get("sessionId").asString());
		ApiClient holder = this.api.as(created.json().get("accessToken").asString());
		ApiClient admin = this.api.as(TestTokens.admin("ops/bob"));

		Response byHolder = holder.append(code, "{\"id\":\"m1\",\"sender\":\"display\",\"data\":1}");
		Response byAdmin = admin.append(code, "{\"id\":\"m2\",\"sender\":\"bob\",\"data\":2}");

		assertThat(byHolder.json().has("userId")).isFalse();
		assertThat(byAdmin.json().get("userId").asString()).isEqualTo("ops/bob");
		assertThat(byAdmin.json().get("sender").asString()).isEqualTo("bob");
		JsonPage page = new JsonPage(holder.get("/sessions/" + code + "/history"));
		assertThat(page.message(1).get("userId").asString()).isEqualTo("ops/bob");
		assertThat(this.redis.opsForHash().get(this.keys.participants(code, sessionId), "ops/bob"))
			.isEqualTo("read,append");
		assertThat(this.redis.opsForHash().size(this.keys.participants(code, sessionId))).isEqualTo(1);
	}

	@Test
	void aBodyCannotClaimAUser() {
		String code = this.api.createSession("{}");
		Response forged = this.api.append(code, "{\"userId\":\"alice\",\"data\":1}");
		assertThat(forged.status()).isEqualTo(400);
		assertThat(forged.json().get("detail").asString()).contains("userId");
	}

	/** A history page's messages. */
	private record JsonPage(Response response) {

		tools.jackson.databind.JsonNode message(int index) {
			return this.response.json().get("messages").get(index);
		}

	}

}
