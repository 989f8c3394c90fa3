package dev.sessionhistory.api.security;

import java.util.List;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.model.AppendCheck;
import dev.sessionhistory.model.AppendReply;
import dev.sessionhistory.model.CreateReply;
import dev.sessionhistory.model.JoinReply;
import dev.sessionhistory.model.SessionScripts;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what with a session, by user tokens signed with a real key, live and archived:
 * the owner everything, a participant what they joined with ({@code read,append} after
 * appending), another user and nobody nothing, an admin everything; every refusal reads
 * exactly as an unknown code. Session tokens have their own tests
 * ({@link SessionTokenAccessIntegrationTests}).
 */
@RealServers
class UserAccessIntegrationTests extends AbstractApiIntegrationTests {

	private final String ownerId = "owner-" + UUID.randomUUID();

	private ApiClient owner;

	private ApiClient participant;

	private ApiClient reader;

	private ApiClient stranger;

	@BeforeEach
	void signIn() {
		this.owner = this.api.as(TestTokens.user(this.ownerId));
		this.participant = this.api.as(TestTokens.user("auth0|participant/" + UUID.randomUUID()));
		this.reader = this.api.as(TestTokens.user("reader-" + UUID.randomUUID()));
		this.stranger = this.api.as(TestTokens.user("stranger-" + UUID.randomUUID()));
	}

	@Test
	void theOwnerReadsAppendsAndEndsAndTheRestOfTheTableHolds() {
		Created session = create(this.owner);
		String code = session.code();
		assertThat(this.owner.append(code, message("o1")).status()).isEqualTo(201);
		// joining takes a user token and a token of the session, whose rights the user gets
		assertThat(join(this.participant, code, narrower(session, "read", "append")).status()).isEqualTo(200);
		assertThat(join(this.reader, code, narrower(session, "read")).json().get("rights").toString())
			.isEqualTo("[\"read\"]");
		assertThat(this.participant.append(code, message("p1")).status()).isEqualTo(201);
		String unknown = unknownCode();
		for (ApiClient user : List.of(this.owner, this.participant, this.reader)) {
			assertThat(user.get("/sessions/" + code + "/history").json().get("total").asInt()).isEqualTo(2);
			assertThat(user.get("/sessions/" + code).json().get("status").asString()).isEqualTo("active");
		}
		assertThat(this.reader.append(code, message("r1")).status()).isEqualTo(404);
		for (ApiClient nobody : List.of(this.stranger, this.api.anonymous())) {
			int expected = (nobody == this.stranger) ? 404 : 401;
			assertThat(nobody.get("/sessions/" + code + "/history").status()).isEqualTo(expected);
			assertThat(nobody.append(code, message("s1")).status()).isEqualTo(expected);
			assertThat(nobody.post("/sessions/" + code + "/end").status()).isEqualTo(expected);
		}
		assertSameNotFound(this.stranger.get("/sessions/" + code), this.stranger.get("/sessions/" + unknown), code,
				unknown);
		assertSameNotFound(this.stranger.append(code, message("o1")), this.stranger.append(unknown, message("o1")),
				code, unknown);
		assertSameNotFound(this.participant.post("/sessions/" + code + "/end"),
				this.participant.post("/sessions/" + unknown + "/end"), code, unknown);
		assertThat(this.stranger.get("/sessions/" + code + "/archives").text()).isEqualTo("[]");
		assertThat(this.owner.post("/sessions/" + code + "/end").status()).isEqualTo(202);
		assertThat(this.owner.post("/sessions/" + code + "/end").status()).as("ending again").isEqualTo(202);

		// archived: the same table, from PostgreSQL
		this.archiver.archive(code, session.sessionId());
		for (ApiClient user : List.of(this.owner, this.participant, this.reader)) {
			Response history = user.get("/sessions/" + code + "/history");
			assertThat(history.json().get("source").asString()).isEqualTo("archive");
			assertThat(history.json().get("total").asInt()).isEqualTo(2);
			assertThat(user.get("/sessions/" + code + "/archives").json().size()).isEqualTo(1);
			assertThat(user.get("/sessions/" + code).json().get("status").asString()).isEqualTo("ended");
		}
		assertThat(this.owner.append(code, message("o2")).status()).isEqualTo(409);
		assertThat(this.participant.append(code, message("p2")).status()).isEqualTo(409);
		assertSameNotFound(this.reader.append(code, message("r2")), this.reader.append(unknown, message("r2")), code,
				unknown);
		assertSameNotFound(this.stranger.get("/sessions/" + code + "/history?sessionId=" + session.sessionId()),
				this.stranger.get("/sessions/" + unknown + "/history?sessionId=" + session.sessionId()), code, unknown);
		assertSameNotFound(this.stranger.append(code, message("s2")), this.stranger.append(unknown, message("s2")),
				code, unknown);
		assertThat(this.stranger.get("/sessions/" + code + "/archives").text()).isEqualTo("[]");
		assertThat(this.api.get("/sessions/" + code + "/history").json().get("total").asInt()).as("an admin")
			.isEqualTo(2);
	}

	@Test
	void theMessagesOfUsersCarryTheirIdsAndASessionTokensNone() {
		Created session = create(this.owner);
		assertThat(this.owner.append(session.code(), message("o1")).status()).isEqualTo(201);
		assertThat(this.api.as(session.accessToken()).append(session.code(), message("t1")).status()).isEqualTo(201);
		String text = this.owner.get("/sessions/" + session.code() + "/history").messagesText();
		assertThat(text).contains("{\"seq\":1,\"userId\":\"" + this.ownerId + "\"")
			.contains("{\"seq\":2,\"id\":\"t1\"");
	}

	@Test
	void aRevokeRefusesEveryTokenMintedBeforeItLiveAndArchived() {
		Created session = create(this.owner);
		String code = session.code();
		String display = narrower(session, "read");
		ApiClient holder = this.api.as(session.accessToken());
		assertThat(holder.append(code, message("t1")).status()).isEqualTo(201);
		assertThat(this.stranger.delete("/sessions/" + code + "/tokens").status()).isEqualTo(404);
		assertThat(holder.delete("/sessions/" + code + "/tokens").status()).as("session tokens manage nothing")
			.isEqualTo(404);
		Response revoked = this.owner.delete("/sessions/" + code + "/tokens");
		assertThat(revoked.status()).as(revoked.text()).isEqualTo(200);
		assertThat(revoked.json().get("tokenEpoch").asLong()).isEqualTo(1);
		assertThat(holder.append(code, message("t2")).status()).isEqualTo(404);
		assertThat(holder.get("/sessions/" + code + "/history").status()).isEqualTo(404);
		assertThat(this.api.as(display).get("/sessions/" + code + "/history").status()).isEqualTo(404);
		assertThat(join(this.participant, code, session.accessToken()).status()).isEqualTo(404);
		// a token minted now works, and the owner still reads
		String fresh = this.owner.postJson("/sessions/" + code + "/tokens", "{\"rights\":[\"read\",\"append\"]}")
			.json()
			.get("accessToken")
			.asString();
		assertThat(this.api.as(fresh).append(code, message("t3")).status()).isEqualTo(201);
		assertThat(this.owner.post("/sessions/" + code + "/end").status()).isEqualTo(202);
		this.archiver.archive(code, session.sessionId());
		assertThat(this.api.as(fresh).get("/sessions/" + code + "/history").status()).isEqualTo(200);
		// revoked again once archived: the archive row's epoch
		assertThat(this.api.delete("/sessions/" + code + "/tokens?sessionId=" + session.sessionId())
			.json()
			.get("tokenEpoch")
			.asLong()).isEqualTo(2);
		assertThat(this.api.as(fresh).get("/sessions/" + code + "/history").status()).isEqualTo(404);
		assertThat(this.owner.get("/sessions/" + code + "/history").status()).isEqualTo(200);
	}

	@Test
	void aJoinNeedsAUserAndAValidTokenOfThatCode() {
		Created session = create(this.owner);
		Created other = create(this.owner);
		assertThat(this.api.anonymous()
			.postJson("/sessions/" + session.code() + "/participants",
					"{\"accessToken\":\"" + session.accessToken() + "\"}")
			.status()).isEqualTo(401);
		assertThat(join(this.participant, session.code(), other.accessToken()).status()).isEqualTo(404);
		assertThat(join(this.participant, session.code(), "not-a-token").status()).isEqualTo(404);
		assertThat(join(this.participant, session.code(), TestTokens.user("someone")).status()).isEqualTo(404);
		assertThat(this.participant.postJson("/sessions/" + session.code() + "/participants", "{}").status())
			.isEqualTo(400);
		Response owner = join(this.owner, session.code(), session.accessToken());
		assertThat(owner.json().get("role").asString()).isEqualTo("owner");
		// one who joins with a token that may end the session may end it, as its holder could
		Response ender = join(this.participant, session.code(), session.accessToken());
		assertThat(ender.json().get("rights").toString()).isEqualTo("[\"read\",\"append\",\"end\"]");
		assertThat(this.participant.post("/sessions/" + session.code() + "/end").status()).isEqualTo(202);
		assertThat(join(this.participant, session.code(), session.accessToken()).status()).isEqualTo(409);
	}

	@Test
	void aForeignWritersSessionWithAnOwnerAndAParticipantIsTheirsThroughTheApi() {
		String code = unknownCode();
		UUID sessionId = UUID.randomUUID();
		long now = System.currentTimeMillis();
		// written with the published scripts only, as a foreign writer does
		assertThat(SessionScripts.create(this.keys, code, sessionId, now, 60_000, "", 3600, this.ownerId).run(this.redis))
			.isEqualTo(CreateReply.OK);
		String participantId = "foreign-participant-" + UUID.randomUUID();
		assertThat(SessionScripts.join(this.keys, code, sessionId, participantId, "read", 1000).run(this.redis))
			.isEqualTo(JoinReply.OK);
		assertThat(SessionScripts
			.append(this.keys, code, sessionId, "f1", "{\"id\":\"f1\",\"data\":1}", now, 100, 3600, 1 << 20,
					this.ownerId, 1000, AppendCheck.USER)
			.run(this.redis)
			.outcome()).isEqualTo(AppendReply.Outcome.CREATED);
		ApiClient foreignParticipant = this.api.as(TestTokens.user(participantId));
		assertThat(this.owner.get("/sessions/" + code + "/history").json().get("total").asInt()).isEqualTo(1);
		assertThat(foreignParticipant.get("/sessions/" + code + "/history").status()).isEqualTo(200);
		assertThat(foreignParticipant.append(code, message("p1")).status()).as("read only").isEqualTo(404);
		assertThat(this.stranger.get("/sessions/" + code + "/history").status()).isEqualTo(404);
		assertThat(this.owner.post("/sessions/" + code + "/end").status()).isEqualTo(202);
		this.archiver.archive(code, sessionId);
		assertThat(foreignParticipant.get("/sessions/" + code + "/history").json().get("source").asString())
			.isEqualTo("archive");
		assertThat(this.stranger.get("/sessions/" + code + "/history").status()).isEqualTo(404);
	}

	private Response join(ApiClient user, String code, String accessToken) {
		return user.postJson("/sessions/" + code + "/participants", "{\"accessToken\":\"" + accessToken + "\"}");
	}

	private String narrower(Created session, String... rights) {
		Response minted = this.api.as(session.accessToken())
			.postJson("/sessions/" + session.code() + "/tokens",
					"{\"rights\":[\"" + String.join("\",\"", rights) + "\"]}");
		assertThat(minted.status()).as(minted.text()).isEqualTo(201);
		return minted.json().get("accessToken").asString();
	}

	private Created create(ApiClient user) {
		Response created = user.postJson("/sessions", "{}");
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		return new Created(created.json().get("code").asString(),
				UUID.fromString(created.json().get("sessionId").asString()),
				created.json().get("accessToken").asString());
	}

	private static String message(String id) {
		return "{\"id\":\"" + id + "\",\"sender\":\"s\",\"data\":{}}";
	}

	private static String unknownCode() {
		return "ZQ" + UUID.randomUUID().toString().substring(0, 8).toUpperCase().replace('-', 'Z');
	}

	private record Created(String code, UUID sessionId, String accessToken) {
	}

}
