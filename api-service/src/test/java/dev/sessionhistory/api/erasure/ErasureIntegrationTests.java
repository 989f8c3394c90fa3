package dev.sessionhistory.api.erasure;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code DELETE /sessions/{code}?sessionId=}: an instance is erased wherever it is (live,
 * ended and waiting for its archive, archived), by its owner or an admin; a repeat is 204
 * for them, everybody else gets the 404 of an unknown session; the erasure log keeps who,
 * what, where and why, never the content; the archive cache forgets it on this replica at
 * once and on the others from the log.
 */
@RealServers
class ErasureIntegrationTests extends AbstractApiIntegrationTests {

	@Autowired
	private DataSource dataSource;

	private final String ownerId = "erasing-owner-" + UUID.randomUUID();

	private ApiClient owner;

	private ApiClient stranger;

	private ApiClient admin;

	@BeforeEach
	void signIn() {
		this.owner = this.api.as(TestTokens.user(this.ownerId));
		this.stranger = this.api.as(TestTokens.user("stranger-" + UUID.randomUUID()));
		this.admin = this.api.as(TestTokens.admin("admin-" + UUID.randomUUID()));
	}

	@Test
	void theOwnerErasesALiveSessionWhichEndsAndIsNeverArchived() {
		Instance session = create(3);
		assertThat(erase(this.stranger, session).status()).isEqualTo(404);
		assertThat(erase(this.api.anonymous(), session).status()).isEqualTo(401);

		assertThat(erase(this.owner, session, "asked by the user").status()).isEqualTo(204);
		assertThat(this.owner.get(session.history()).status()).isEqualTo(404);
		assertThat(this.owner.get("/sessions/" + session.code()).status()).isEqualTo(404);
		assertThat(this.redis.keys(this.keys.prefix() + ":{" + session.code() + "}*")).isEmpty();
		assertThat(this.redis.opsForZSet().score(this.keys.due(session.code()), session.code() + " " + session.sessionId()))
			.isNull();
		assertThat(logged(session)).containsEntry("found", "live")
			.containsEntry("erased_by", this.ownerId)
			.containsEntry("owner_id", this.ownerId)
			.containsEntry("reason", "asked by the user");
		// The code is free again, for a new instance.
		assertThat(this.owner.postJson("/sessions", "{\"code\":\"" + session.code() + "\"}").status())
			.isEqualTo(201);
	}

	@Test
	void anEndedSessionWaitingForItsArchiveIsErasedAndTheArchiverFindsNothing() {
		Instance session = create(2);
		assertThat(this.owner.post("/sessions/" + session.code() + "/end").status()).isEqualTo(202);

		assertThat(erase(this.admin, session).status()).isEqualTo(204);
		assertThat(this.redis.hasKey(this.keys.meta(session.code(), session.sessionId()))).isFalse();
		assertThat(this.redis.hasKey(this.keys.messages(session.code(), session.sessionId()))).isFalse();
		assertThat(this.redis.opsForSet().isMember(this.keys.pending(session.code()), session.sessionId().toString()))
			.isFalse();
		assertThat(logged(session)).containsEntry("found", "ended").containsEntry("owner_id", this.ownerId);
		assertThat(this.owner.get(session.history()).status()).isEqualTo(404);
	}

	@Test
	void anArchivedSessionIsDeletedWithItsChunksAndUsersAndNoLongerServedFromTheCache() {
		Instance session = create(300);
		this.owner.post("/sessions/" + session.code() + "/end");
		this.archiver.archive(session.code(), session.sessionId());
		// Read twice: the second page comes from the archive cache.
		assertThat(this.owner.get(session.history()).json().get("source").asString()).isEqualTo("archive");
		assertThat(this.owner.get(session.history()).status()).isEqualTo(200);

		assertThat(erase(this.owner, session).status()).isEqualTo(204);
		assertThat(this.owner.get(session.history()).status()).isEqualTo(404);
		assertThat(this.admin.get(session.history()).status()).isEqualTo(404);
		for (String table : List.of("session_history", "session_history_chunk", "session_participant")) {
			assertThat(count(table, session.sessionId())).as(table).isZero();
		}
		assertThat(logged(session)).containsEntry("found", "archived");
	}

	@Test
	void aRepeatIsNoContentForTheOwnerAndAdminsAndNotFoundForEverybodyElseAsIfItNeverExisted() {
		Instance session = create(1);
		assertThat(erase(this.owner, session).status()).isEqualTo(204);
		assertThat(erase(this.owner, session).status()).isEqualTo(204);
		assertThat(erase(this.admin, session).status()).isEqualTo(204);
		Instance unknown = new Instance(session.code(), UUID.randomUUID());
		Response refused = erase(this.stranger, session);
		Response absent = erase(this.stranger, unknown);
		assertThat(refused.status()).isEqualTo(absent.status()).isEqualTo(404);
		assertThat(refused.header("Content-Type")).isEqualTo(absent.header("Content-Type"));
		assertThat(refused.text().replace(session.sessionId().toString(), "SID"))
			.isEqualTo(absent.text().replace(unknown.sessionId().toString(), "SID"));
		assertThat(erase(this.admin, unknown).status()).isEqualTo(404);
		assertThat(this.jdbc.sql("SELECT count(*) FROM session_erasure WHERE session_id = ?")
			.param(session.sessionId())
			.query(Integer.class)
			.single()).isEqualTo(1);
	}

	@Test
	void badRequestsAreClientErrorsThatEraseNothing() {
		Instance session = create(1);
		String path = "/sessions/" + session.code();
		assertThat(this.owner.delete(path).status()).isEqualTo(400);
		assertThat(this.owner.delete(path + "?sessionId=not-a-uuid").status()).isEqualTo(400);
		assertThat(this.owner.delete(path + "?sessionId=" + session.sessionId() + "&reason=" + "x".repeat(1001))
			.status()).isEqualTo(400);
		assertThat(this.owner.delete(path + "?sessionId=" + session.sessionId() + "&reason=a%00b").status())
			.isEqualTo(400);
		// a code no session can have is an unknown one, as everywhere in the API
		assertThat(this.owner.delete("/sessions/bad%20code?sessionId=" + session.sessionId()).status())
			.isEqualTo(404);
		assertThat(this.owner.get(session.history()).json().get("total").asInt()).isEqualTo(1);
	}

	@Test
	void anErasureByAnotherReplicaStopsThisOneServingTheArchiveFromItsCache() {
		Instance session = create(10);
		this.owner.post("/sessions/" + session.code() + "/end");
		this.archiver.archive(session.code(), session.sessionId());
		assertThat(this.owner.get(session.history()).status()).isEqualTo(200);

		// What another replica's erasure leaves in PostgreSQL; this replica hears of it only
		// through the log.
		this.jdbc.sql("""
				INSERT INTO session_erasure (at, scope, session_code, session_id, found)
				VALUES (clock_timestamp(), 'session', ?, ?, 'archived')
				""").params(session.code(), session.sessionId()).update();
		this.jdbc.sql("DELETE FROM session_history WHERE session_id = ?").param(session.sessionId()).update();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.owner.get(session.history()).status() == 404);
	}

	@Test
	void eachRewriteOfAnArchiveByAnotherReplicaIsSeenHereEvenTwiceInAMinute() {
		Instance session = create(3);
		this.owner.post("/sessions/" + session.code() + "/end");
		this.archiver.archive(session.code(), session.sessionId());
		assertThat(this.owner.get(session.history()).json().get("messages").get(0).has("erased")).isFalse();

		// What another replica's erasures of two users' messages leave in PostgreSQL, one after
		// the other: the chunk rewritten, a log row for each; this replica must reread both times.
		for (int seq : new int[] { 1, 2 }) {
			this.jdbc.sql("""
					UPDATE session_history_chunk SET messages_raw = (
					    SELECT json_agg(CASE WHEN ord = ? THEN json_build_object('seq', ord, 'erased', true) ELSE e END
					        ORDER BY ord)
					    FROM json_array_elements(messages_raw) WITH ORDINALITY AS m(e, ord))
					WHERE session_id = ?
					""").params(seq, session.sessionId()).update();
			this.jdbc.sql("""
					INSERT INTO session_erasure (at, scope, session_code, session_id, user_id, found)
					VALUES (clock_timestamp(), 'messages', ?, ?, ?, 'archived')
					""").params(session.code(), session.sessionId(), "user-" + seq).update();
			int erased = seq - 1;
			await().atMost(Duration.ofSeconds(5))
				.until(() -> this.owner.get(session.history()).json().get("messages").get(erased).has("erased"));
		}
	}

	@Test
	void anArchiveTheWorkersRetentionDeletedIsNoLongerServedFromTheCache() {
		Instance session = create(4);
		this.owner.post("/sessions/" + session.code() + "/end");
		this.archiver.archive(session.code(), session.sessionId());
		assertThat(this.owner.get(session.history()).status()).isEqualTo(200);

		// What a retention batch of the worker does: raise the bound and delete, in one transaction.
		try {
			this.jdbc.sql("""
					INSERT INTO archive_retention (deleted_before)
					SELECT ended_at + interval '1 microsecond' FROM session_history WHERE session_id = ?
					ON CONFLICT (only_row) DO UPDATE SET deleted_before = excluded.deleted_before
					""").param(session.sessionId()).update();
			this.jdbc.sql("DELETE FROM session_history WHERE session_id = ?").param(session.sessionId()).update();
			await().atMost(Duration.ofSeconds(5)).until(() -> this.owner.get(session.history()).status() == 404);
		}
		finally {
			this.jdbc.sql("DELETE FROM archive_retention").update();
		}
	}

	@Test
	void theErasureWaitsForAnArchiveInsertHoldingTheInstanceAndThenDeletesItsRow() throws Exception {
		Instance session = create(5);
		this.owner.post("/sessions/" + session.code() + "/end");
		CompletableFuture<Response> erasure;
		try (Connection worker = this.dataSource.getConnection()) {
			// A worker's transaction: the instance's lock, then its row, not committed yet.
			worker.setAutoCommit(false);
			try (Statement statement = worker.createStatement()) {
				statement.execute("SELECT pg_advisory_xact_lock(" + 0x5348 + ", hashtext('" + session.sessionId()
						+ "'))");
			}
			erasure = CompletableFuture.supplyAsync(() -> erase(this.owner, session));
			await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
			assertThat(erasure).isNotDone();
			this.archiver.archive(session.code(), session.sessionId());
			worker.commit();
		}
		assertThat(erasure.get(10, TimeUnit.SECONDS).status()).isEqualTo(204);
		assertThat(count("session_history", session.sessionId())).isZero();
	}

	private Instance create(int messages) {
		Response created = this.owner.postJson("/sessions", "{}");
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		Instance session = new Instance(created.json().get("code").asString(),
				UUID.fromString(created.json().get("sessionId").asString()));
		for (int i = 0; i < messages; i++) {
			assertThat(this.owner.append(session.code(), "{\"id\":\"m" + i + "\",\"sender\":\"s\",\"data\":{}}")
				.status()).isEqualTo(201);
		}
		return session;
	}

	private static Response erase(ApiClient client, Instance session) {
		return client.delete("/sessions/" + session.code() + "?sessionId=" + session.sessionId());
	}

	private static Response erase(ApiClient client, Instance session, String reason) {
		return client.delete("/sessions/" + session.code() + "?sessionId=" + session.sessionId() + "&reason="
				+ reason.replace(" ", "+"));
	}

	private Map<String, Object> logged(Instance session) {
		return this.jdbc.sql("SELECT * FROM session_erasure WHERE scope = 'session' AND session_id = ?")
			.param(session.sessionId())
			.query()
			.singleRow();
	}

	private int count(String table, UUID sessionId) {
		return this.jdbc.sql("SELECT count(*) FROM " + table + " WHERE session_id = ?")
			.param(sessionId)
			.query(Integer.class)
			.single();
	}

	private record Instance(String code, UUID sessionId) {

		String history() {
			return "/sessions/" + this.code + "/history?sessionId=" + this.sessionId;
		}

	}

}
