package dev.sessionhistory.api.erasure;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.model.Tombstones;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's erasure ({@code DELETE /admin/api/users/data?userId=}), after the export of
 * their data ({@code GET}): the sessions they own are erased, live and archived; in those
 * they joined, their messages are tombstones at the same seqs, every page of them gap-free,
 * live and archived, and they are no longer a participant.
 */
@RealServers
class UserErasureIntegrationTests extends AbstractApiIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final String userId = "erased-user-" + UUID.randomUUID();

	private final String otherId = "other-" + UUID.randomUUID();

	private ApiClient user;

	private ApiClient other;

	private ApiClient admin;

	@BeforeEach
	void signIn() {
		this.user = this.api.as(TestTokens.user(this.userId));
		this.other = this.api.as(TestTokens.user(this.otherId));
		this.admin = this.api.as(TestTokens.admin("admin-" + UUID.randomUUID()));
	}

	@Test
	void aUsersDataIsExportedThenErasedFromOwnedAndJoinedSessionsLiveAndArchived() {
		Session ownedLive = create(this.user);
		append(ownedLive, this.user, 3);
		Session ownedArchived = create(this.user);
		append(ownedArchived, this.user, 2);
		archive(ownedArchived);
		Session joinedLive = create(this.other);
		join(joinedLive);
		Map<Long, String> liveAuthors = interleave(joinedLive, 40);
		Session joinedArchived = create(this.other);
		join(joinedArchived);
		Map<Long, String> archivedAuthors = interleave(joinedArchived, 300);
		archive(joinedArchived);
		String archivedETag = this.other.get(joinedArchived.history("after=0&limit=50")).header("ETag");
		Map<Long, String> before = messages(this.other, joinedArchived);

		// The export: every message of the owned sessions, the user's own of the others.
		Response export = this.admin.get("/admin/api/users/data?userId=" + this.userId);
		assertThat(export.status()).isEqualTo(200);
		assertThat(export.header("Content-Type")).startsWith("application/x-ndjson");
		List<JsonNode> lines = export.text().lines().map(JSON::readTree).toList();
		assertThat(lines.get(0).get("userId").asString()).isEqualTo(this.userId);
		assertThat(lines.stream().filter((line) -> "session".equals(line.get("type").asString()))).hasSize(4);
		Map<String, Long> exported = new HashMap<>();
		lines.stream()
			.filter((line) -> "message".equals(line.get("type").asString()))
			.forEach((line) -> exported.merge(line.get("sessionId").asString(), 1L, Long::sum));
		assertThat(exported).containsEntry(ownedLive.sessionId().toString(), 3L)
			.containsEntry(ownedArchived.sessionId().toString(), 2L)
			.containsEntry(joinedLive.sessionId().toString(), count(liveAuthors, this.userId))
			.containsEntry(joinedArchived.sessionId().toString(), count(archivedAuthors, this.userId));

		assertThat(this.other.delete("/admin/api/users/data?userId=" + this.userId).status()).isEqualTo(404);
		Response erased = this.admin.delete("/admin/api/users/data?userId=" + this.userId + "&reason=request+42");
		assertThat(erased.status()).as(erased.text()).isEqualTo(200);
		assertThat(erased.json().get("sessions").asInt()).isEqualTo(2);
		assertThat(erased.json().get("participations").asInt()).isEqualTo(2);
		assertThat(erased.json().get("messages").asLong())
			.isEqualTo(count(liveAuthors, this.userId) + count(archivedAuthors, this.userId));

		for (Session owned : List.of(ownedLive, ownedArchived)) {
			assertThat(this.admin.get(owned.history("after=0")).status()).isEqualTo(404);
		}
		assertTombstones(joinedLive, liveAuthors, null);
		assertTombstones(joinedArchived, archivedAuthors, before);
		assertThat(this.other.get(joinedArchived.history("after=0&limit=50")).header("ETag"))
			.isNotEqualTo(archivedETag);
		assertThat(this.jdbc.sql("SELECT count(*) FROM session_participant WHERE user_id = ?")
			.param(this.userId)
			.query(Integer.class)
			.single()).isZero();
		assertThat(this.redis.opsForHash().hasKey(this.keys.participants(joinedLive.code(), joinedLive.sessionId()),
				this.userId)).isFalse();
		assertThat(this.redis.hasKey(this.keys.userSessions(this.userId))).isFalse();
		assertThat(this.jdbc.sql("""
				SELECT scope || ' ' || coalesce(found, '-') FROM session_erasure
				WHERE user_id = ? OR owner_id = ? ORDER BY scope, found
				""").params(this.userId, this.userId).query(String.class).list())
			.containsExactly("messages archived", "messages live", "session archived", "session live", "user -");
		// And the user is nobody there any more.
		assertThat(this.user.get(joinedLive.history("after=0")).status()).isEqualTo(404);
	}

	/**
	 * Reads the whole history in pages of 7, so that every page boundary is crossed: seqs 1
	 * to N without a gap, the user's as tombstones, everybody else's unchanged.
	 */
	private void assertTombstones(Session session, Map<Long, String> authors, Map<Long, String> before) {
		Map<Long, String> after = messages(this.other, session);
		assertThat(after.keySet()).containsExactlyElementsOf(authors.keySet());
		authors.forEach((seq, author) -> {
			if (author.equals(this.userId)) {
				assertThat(after.get(seq)).isEqualTo(Tombstones.of(seq));
			}
			else {
				assertThat(after.get(seq)).contains("\"userId\":\"" + author + "\"");
				if (before != null) {
					assertThat(after.get(seq)).isEqualTo(before.get(seq));
				}
			}
		});
	}

	/** Every message of the history, by seq, read forward in pages of 7. */
	private Map<Long, String> messages(ApiClient reader, Session session) {
		Map<Long, String> messages = new LinkedHashMap<>();
		long after = 0;
		while (true) {
			Response page = reader.get(session.history("after=" + after + "&limit=7"));
			assertThat(page.status()).as(page.text()).isEqualTo(200);
			List<JsonNode> items = page.json().get("messages").values().stream().toList();
			for (JsonNode message : items) {
				long seq = message.get("seq").asLong();
				assertThat(seq).as("seq after %d", after).isEqualTo(after + 1);
				messages.put(seq, message.toString());
				after = seq;
			}
			if (!page.json().get("hasMore").asBoolean()) {
				return messages;
			}
		}
	}

	private Map<Long, String> interleave(Session session, int count) {
		Map<Long, String> authors = new LinkedHashMap<>();
		for (int i = 1; i <= count; i++) {
			ApiClient author = (i % 3 == 0) ? this.user : this.other;
			Response appended = author.append(session.code(), message("i" + i));
			assertThat(appended.status()).as(appended.text()).isEqualTo(201);
			authors.put((long) i, (author == this.user) ? this.userId : this.otherId);
		}
		return authors;
	}

	private static long count(Map<Long, String> authors, String userId) {
		return authors.values().stream().filter(userId::equals).count();
	}

	private Session create(ApiClient owner) {
		Response created = owner.postJson("/sessions", "{}");
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		return new Session(created.json().get("code").asString(),
				UUID.fromString(created.json().get("sessionId").asString()), created.json().get("accessToken").asString());
	}

	private void append(Session session, ApiClient author, int count) {
		for (int i = 0; i < count; i++) {
			assertThat(author.append(session.code(), message("m" + i)).status()).isEqualTo(201);
		}
	}

	private void join(Session session) {
		Response minted = this.api.as(session.accessToken())
			.postJson("/sessions/" + session.code() + "/tokens", "{\"rights\":[\"read\",\"append\"]}");
		assertThat(minted.status()).as(minted.text()).isEqualTo(201);
		Response joined = this.user.postJson("/sessions/" + session.code() + "/participants",
				"{\"accessToken\":\"" + minted.json().get("accessToken").asString() + "\"}");
		assertThat(joined.status()).as(joined.text()).isEqualTo(200);
	}

	private void archive(Session session) {
		this.api.as(session.accessToken()).post("/sessions/" + session.code() + "/end");
		this.archiver.archive(session.code(), session.sessionId());
	}

	private static String message(String id) {
		return "{\"id\":\"" + id + "\",\"sender\":\"s\",\"data\":{}}";
	}

	private record Session(String code, UUID sessionId, String accessToken) {

		String history(String query) {
			return "/sessions/" + this.code + "/history?sessionId=" + this.sessionId + "&" + query;
		}

	}

}
