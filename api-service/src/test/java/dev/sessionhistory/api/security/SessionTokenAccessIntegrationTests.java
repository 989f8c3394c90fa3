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
 * What a session access token allows, in secure mode: everything on its own instance,
 * nothing on any other, and a refusal that reads exactly as an unknown session.
 */
@RealServers
class SessionTokenAccessIntegrationTests extends AbstractApiIntegrationTests {

	@Test
	void theCreatorsTokenReadsAppendsAndEndsItsSession() {
		Response created = this.api.anonymous().postJson("/sessions", "{}");
		assertThat(created.status()).isEqualTo(201);
		String code = created.json().get("code").asString();
		ApiClient holder = this.api.as(created.json().get("accessToken").asString());
		assertThat(holder.append(code, "{\"id\":\"m1\",\"data\":1}").status()).isEqualTo(201);
		assertThat(holder.get("/sessions/" + code + "/history").json().get("total").asInt()).isEqualTo(1);
		assertThat(holder.get("/sessions/" + code).json().get("status").asString()).isEqualTo("active");
		assertThat(holder.post("/sessions/" + code + "/end").status()).isEqualTo(202);
		assertThat(holder.get("/sessions/" + code).json().get("status").asString()).isEqualTo("ended");
		// The session's state only shows to who may see it: an ended session's append is a 409 for its holder.
		assertThat(holder.append(code, "{\"id\":\"m2\",\"data\":2}").status()).isEqualTo(409);
	}

	@Test
	void aTokenOfAnotherSessionGetsWhatAnUnknownCodeGets() {
		String mine = createdCode();
		ApiClient holder = this.api.as(tokenOf(mine));
		String theirs = this.api.createSession("{}");
		assertThat(this.api.append(theirs, "{\"id\":\"x\",\"data\":0}").status()).isEqualTo(201);
		String unknown = "ZZ" + UUID.randomUUID().toString().substring(0, 8).toUpperCase().replace('-', 'Z');
		for (String path : new String[] { "/sessions/%s", "/sessions/%s/history", "/sessions/%s/history?limit=1" }) {
			Response forbidden = holder.get(path.formatted(theirs));
			Response absent = holder.get(path.formatted(unknown));
			assertSameNotFound(forbidden, absent, theirs, unknown);
		}
		assertSameNotFound(holder.append(theirs, "{\"id\":\"y\",\"data\":0}"),
				holder.append(unknown, "{\"id\":\"y\",\"data\":0}"), theirs,
				unknown);
		assertSameNotFound(holder.post("/sessions/" + theirs + "/end"), holder.post("/sessions/" + unknown + "/end"),
				theirs, unknown);
		assertThat(holder.get("/sessions/" + theirs + "/archives").text()).isEqualTo("[]");
		assertThat(this.api.get("/sessions/" + theirs + "/history").json().get("total").asInt()).as("untouched")
			.isEqualTo(1);
	}

	@Test
	void aReadOnlyTokenForADisplayReadsAndNothingElse() {
		String code = createdCode();
		ApiClient owner = this.api.as(tokenOf(code));
		Response minted = owner.postJson("/sessions/" + code + "/tokens", "{\"rights\":[\"read\"]}");
		assertThat(minted.status()).as(minted.text()).isEqualTo(201);
		assertThat(minted.json().get("rights").toString()).isEqualTo("[\"read\"]");
		ApiClient display = this.api.as(minted.json().get("accessToken").asString());
		assertThat(display.get("/sessions/" + code + "/history").status()).isEqualTo(200);
		assertThat(display.append(code, "{\"id\":\"m1\",\"data\":1}").status()).isEqualTo(404);
		assertThat(display.post("/sessions/" + code + "/end").status()).isEqualTo(404);
		Response wider = display.postJson("/sessions/" + code + "/tokens", "{\"rights\":[\"read\",\"append\"]}");
		assertThat(wider.status()).isEqualTo(400);
		assertThat(wider.json().get("detail").asString()).contains("only grant rights its holder has");
		assertThat(owner.postJson("/sessions/" + code + "/tokens", "{\"rights\":[\"admin\"]}").status()).isEqualTo(400);
	}

	@Test
	void aTokenReadsItsOwnInstanceAfterTheCodeIsReused() {
		String code = createdCode();
		String token = tokenOf(code);
		UUID first = this.api.sessionId(code);
		assertThat(this.api.as(token).append(code, "{\"id\":\"m1\",\"data\":\"first\"}").status()).isEqualTo(201);
		assertThat(this.api.post("/sessions/" + code + "/end").status()).isEqualTo(202);
		this.archiver.archive(code, first);
		assertThat(this.api.postJson("/sessions", "{\"code\":\"" + code + "\"}").status()).isEqualTo(201);
		assertThat(this.api.sessionId(code)).isNotEqualTo(first);

		Response own = this.api.as(token).get("/sessions/" + code + "/history");
		assertThat(own.json().get("sessionId").asString()).isEqualTo(first.toString());
		assertThat(own.json().get("source").asString()).isEqualTo("archive");
		assertThat(this.api.as(token).get("/sessions/" + code).json().get("sessionId").asString())
			.isEqualTo(first.toString());
	}

	@Test
	void aTokenNoLongerReadsItsArchiveOnceTheArchiveTtlHasPassed() {
		String code = createdCode();
		String token = tokenOf(code);
		UUID first = this.api.sessionId(code);
		assertThat(this.api.post("/sessions/" + code + "/end").status()).isEqualTo(202);
		this.archiver.archive(code, first);
		// Ended 31 days ago, before anything read the archive (the API caches archives).
		this.jdbc.sql("UPDATE session_history SET ended_at = now() - interval '31 days' WHERE session_id = ?")
			.param(first)
			.update();
		assertThat(this.api.as(token).get("/sessions/" + code + "/history?sessionId=" + first).status()).isEqualTo(404);
		assertThat(this.api.get("/sessions/" + code + "/history?sessionId=" + first).status()).as("an admin still reads it")
			.isEqualTo(200);
	}

	@Test
	void aUserWithoutATokenOfTheSessionSeesNothingOfIt() {
		String code = createdCode();
		assertThat(this.api.as(TestTokens.user("mallory")).get("/sessions/" + code + "/history").status())
			.isEqualTo(404);
	}

	@Test
	void onlyUsersChooseCodes() {
		String code = "CH" + UUID.randomUUID().toString().substring(0, 6).toUpperCase().replace('-', 'X');
		Response anonymous = this.api.anonymous().postJson("/sessions", "{\"code\":\"" + code + "\"}");
		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(anonymous.header("Content-Type")).isEqualTo("application/problem+json");
		Response user = this.api.as(TestTokens.user("alice")).postJson("/sessions", "{\"code\":\"" + code + "\"}");
		assertThat(user.status()).isEqualTo(201);
		assertThat(user.json().get("accessToken").asString()).isNotBlank();
	}

	private String createdCode() {
		Response created = this.api.anonymous().postJson("/sessions", "{}");
		assertThat(created.status()).isEqualTo(201);
		this.lastToken = created.json().get("accessToken").asString();
		return created.json().get("code").asString();
	}

	private String lastToken;

	private String tokenOf(String code) {
		return this.lastToken;
	}

}
