package dev.sessionhistory.api.session;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.paging.Cursor;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

@RealServers
class SessionIntegrationTests extends AbstractApiIntegrationTests {

	private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>; rel=\"next\"");

	@Test
	void createGeneratesAReadableCodeAndUsesTheDefaultTtl() {
		Response response = this.api.post("/sessions");
		assertThat(response.status()).isEqualTo(201);
		JsonNode session = response.json();
		String code = session.get("code").asString();
		assertThat(code).matches("^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{6}$");
		assertThat(response.header("Location")).isEqualTo("/sessions/" + code);
		assertThat(UUID.fromString(session.get("sessionId").asString())).isNotNull();
		assertThat(session.get("status").asString()).isEqualTo("active");
		assertThat(session.get("messageCount").asLong()).isZero();
		assertThat(session.get("createdAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
		assertThat(between(session, "createdAt", "expiresAt")).isEqualTo(Duration.ofHours(24));
		assertThat(session.has("endedAt")).isFalse();
	}

	@Test
	void createKeepsAGivenCodeTtlAndMetadata() {
		Response response = this.api.postJson("/sessions",
				"{\"code\":\"Room_42-a\",\"ttlSeconds\":600,\"metadata\":{\"topic\": \"maths\", \"level\": 1.50}}");
		assertThat(response.status()).isEqualTo(201);
		JsonNode session = response.json();
		assertThat(session.get("code").asString()).isEqualTo("Room_42-a");
		assertThat(between(session, "createdAt", "expiresAt")).isEqualTo(Duration.ofSeconds(600));
		UUID sessionId = UUID.fromString(session.get("sessionId").asString());
		assertThat(this.redis.opsForHash().get(this.keys.meta("Room_42-a", sessionId), "metadata"))
			.isEqualTo("{\"topic\":\"maths\",\"level\":1.50}");
		assertThat(this.redis.getExpire(this.keys.live("Room_42-a"))).isBetween(595L, 600L);
		assertThat(this.redis.opsForZSet().score(this.keys.due("Room_42-a"), "Room_42-a " + sessionId))
			.isCloseTo(Instant.now().plusSeconds(600).toEpochMilli(), within(10_000.0));
	}

	@Test
	void createRefusesMetadataNumbersBeyondWhatTheArchiveCanStoreWithAProblem() {
		long dueBefore = dueCount();
		for (String number : new String[] { "1e99999999999", "1e2147483647" }) {
			for (String body : new String[] { "{\"metadata\":{\"n\":" + number + "}}",
					"{\"code\":\"BIGNUM\",\"metadata\":{\"a\":[" + number + "]}}" }) {
				Response response = this.api.postJson("/sessions", body);
				assertThat(response.status()).as(body).isEqualTo(400);
				assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
				assertThat(response.json().get("detail").asString()).as(body).contains("out of the storable range");
			}
		}
		assertThat(dueCount()).isEqualTo(dueBefore);
		assertThat(this.api.get("/sessions/BIGNUM").status()).isEqualTo(404);
	}

	@Test
	void createRejectsInvalidRequestsWithAProblem() {
		long dueBefore = dueCount();
		for (String body : new String[] { "{\"code\":\"bad code\"}", "{\"code\":\"" + "x".repeat(65) + "\"}",
				"{\"code\":\"caf\u00e9\"}", "{\"code\":42}", "{\"ttlSeconds\":0}", "{\"ttlSeconds\":-5}",
				"{\"ttlSeconds\":1.5}", "{\"ttlSeconds\":\"60\"}", "{\"ttlSeconds\":2592001}",
				"{\"ttlSeconds\":99999999999999999999}", "{\"metadata\":[1]}", "{\"metadata\":\"x\"}",
				"{\"metadata\":{\"a\":\"\\u0000\"}}", "{\"code\":", "[]", "{} {}", "{\"code\":\"A\",\"code\":\"B\"}" }) {
			Response response = this.api.postJson("/sessions", body);
			assertThat(response.status()).as(body).isEqualTo(400);
			assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
			assertThat(response.json().get("detail").asString()).as(body).isNotBlank();
		}
		assertThat(this.api.post("/sessions", "text/plain", "{}".getBytes()).status()).isEqualTo(415);
		assertThat(dueCount()).isEqualTo(dueBefore);
	}

	@Test
	void aCodeStaysTakenUntilItsLastInstanceIsArchived() {
		UUID first = create("TAKEN", 600);
		Response live = this.api.postJson("/sessions", "{\"code\":\"TAKEN\"}");
		assertThat(live.status()).isEqualTo(409);
		assertThat(live.json().get("detail").asString()).contains("live");
		assertThat(this.api.post("/sessions/TAKEN/end").status()).isEqualTo(202);
		assertThat(this.api.postJson("/sessions", "{\"code\":\"TAKEN\"}").status()).isEqualTo(409);
		this.archiver.archive("TAKEN", first);
		UUID second = create("TAKEN", 600);
		assertThat(second).isNotEqualTo(first);
		// refused attempts leave nothing on the due set
		assertThat(this.redis.opsForZSet().range(this.keys.due("TAKEN"), 0, -1)).filteredOn((member) -> member.startsWith("TAKEN "))
			.containsExactly("TAKEN " + second);
	}

	@Test
	void getShowsTheInstanceActiveThenEndedThenArchived() {
		UUID sessionId = create("LIFE", 600);
		this.api.append("LIFE", "{\"data\":1}");
		JsonNode active = this.api.get("/sessions/LIFE").json();
		assertThat(active.get("sessionId").asString()).isEqualTo(sessionId.toString());
		assertThat(active.get("status").asString()).isEqualTo("active");
		assertThat(active.get("messageCount").asLong()).isEqualTo(1);
		assertThat(active.has("expiresAt")).isTrue();
		assertThat(active.has("endedAt")).isFalse();

		this.api.post("/sessions/LIFE/end");
		JsonNode ended = this.api.get("/sessions/LIFE").json();
		assertThat(ended.get("status").asString()).isEqualTo("ended");
		assertThat(ended.has("endedAt")).isTrue();
		assertThat(ended.has("expiresAt")).isFalse();

		this.archiver.archive("LIFE", sessionId);
		JsonNode archived = this.api.get("/sessions/LIFE").json();
		assertThat(archived.get("sessionId").asString()).isEqualTo(sessionId.toString());
		assertThat(archived.get("status").asString()).isEqualTo("ended");
		assertThat(archived.get("messageCount").asLong()).isEqualTo(1);
		assertThat(archived.get("createdAt")).isEqualTo(ended.get("createdAt"));
		assertThat(archived.get("endedAt")).isEqualTo(ended.get("endedAt"));

		assertThat(this.api.get("/sessions/NEVER").status()).isEqualTo(404);
		assertThat(this.api.get("/sessions/not%20a%20code").status()).isEqualTo(404);
	}

	@Test
	void aSessionEndsWhenNoMessageArrivesForItsTtl() {
		create("IDLE", 1);
		JsonNode session = await().atMost(Duration.ofSeconds(3))
			.until(() -> this.api.get("/sessions/IDLE").json(), (idle) -> "ended".equals(idle.get("status").asString()));
		assertThat(session.get("status").asString()).isEqualTo("ended");
		assertThat(between(session, "createdAt", "endedAt")).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void endIsAcceptedForLiveEndedAndArchivedSessionsAndMakesItDueNow() {
		UUID sessionId = create("STOP", 600);
		Response ended = this.api.post("/sessions/STOP/end");
		assertThat(ended.status()).isEqualTo(202);
		assertThat(ended.text())
			.isEqualTo("{\"code\":\"STOP\",\"sessionId\":\"" + sessionId + "\",\"status\":\"ended\"}");
		assertThat(this.redis.opsForZSet().score(this.keys.due("STOP"), "STOP " + sessionId))
			.isCloseTo(System.currentTimeMillis(), within(10_000.0));
		// A repeated end repairs a due update the first end lost, and never postpones one.
		this.redis.opsForZSet().add(this.keys.due("STOP"), "STOP " + sessionId, System.currentTimeMillis() + 3_600_000);
		assertThat(this.api.post("/sessions/STOP/end").text()).isEqualTo(ended.text());
		Double repaired = this.redis.opsForZSet().score(this.keys.due("STOP"), "STOP " + sessionId);
		assertThat(repaired).isCloseTo(System.currentTimeMillis(), within(10_000.0));
		this.redis.opsForZSet().add(this.keys.due("STOP"), "STOP " + sessionId, 1);
		this.api.post("/sessions/STOP/end");
		assertThat(this.redis.opsForZSet().score(this.keys.due("STOP"), "STOP " + sessionId)).isEqualTo(1.0);
		this.archiver.archive("STOP", sessionId);
		assertThat(this.api.post("/sessions/STOP/end").text()).isEqualTo(ended.text());
		assertThat(this.api.post("/sessions/NOBODY/end").status()).isEqualTo(404);
	}

	@Test
	void archivesListsTheArchivedInstancesOfACodeNewestFirst() {
		assertThat(this.api.get("/sessions/REUSED/archives").text()).isEqualTo("[]");
		UUID first = create("REUSED", 600);
		this.api.append("REUSED", "{\"data\":1}");
		this.api.post("/sessions/REUSED/end");
		this.archiver.archive("REUSED", first);
		awaitNextMillisecond();
		UUID second = create("REUSED", 600);
		this.api.post("/sessions/REUSED/end");
		this.archiver.archive("REUSED", second);

		JsonNode archives = this.api.get("/sessions/REUSED/archives").json();
		assertThat(archives.size()).isEqualTo(2);
		assertThat(archives.get(0).get("sessionId").asString()).isEqualTo(second.toString());
		assertThat(archives.get(0).get("messageCount").asInt()).isZero();
		assertThat(archives.get(1).get("sessionId").asString()).isEqualTo(first.toString());
		assertThat(archives.get(1).get("messageCount").asInt()).isEqualTo(1);
		assertThat(archives.get(1).get("endReason").asString()).isEqualTo("ended");
		assertThat(archives.get(1).has("createdAt")).isTrue();
		assertThat(archives.get(1).has("endedAt")).isTrue();
		assertThat(this.api.get("/sessions/REUSED/archives").headers().allValues("Link")).isEmpty();
	}

	@Test
	void archivesAreServedInPagesLinkedNewestFirstUntilTheLast() {
		List<String> archived = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			UUID sessionId = create("PAGED", 600);
			this.api.post("/sessions/PAGED/end");
			this.archiver.archive("PAGED", sessionId);
			archived.add(0, sessionId.toString());
			awaitNextMillisecond();
		}
		List<Response> pages = walk("/sessions/PAGED/archives?limit=3");
		assertThat(pages).extracting((page) -> page.json().size()).containsExactly(3, 3, 1);
		assertThat(pages.get(0).header("Link"))
			.matches("</sessions/PAGED/archives\\?limit=3&cursor=[A-Za-z0-9_-]+>; rel=\"next\"");
		assertThat(pages.get(2).headers().allValues("Link")).isEmpty();
		assertThat(sessionIds(pages)).containsExactlyElementsOf(archived);
		// the same archives, in one page of the default size
		Response all = this.api.get("/sessions/PAGED/archives");
		assertThat(all.headers().allValues("Link")).isEmpty();
		assertThat(sessionIds(List.of(all))).containsExactlyElementsOf(archived);
	}

	@Test
	void archivesComeInPagesOfAHundredByDefaultAndTiesOfEndedAtArePagedById() {
		// More archives than a test can end one by one, and ties no clock produces on demand:
		// rows inserted as the archiver writes them, two by two with the same end.
		Instant base = Instant.parse("2026-11-24T07:13:53.619123Z");
		for (int i = 0; i < 205; i++) {
			insertArchive("MANY", base.plusMillis(i / 2));
		}
		List<String> expected = this.jdbc
			.sql("""
					SELECT session_id::text FROM session_history WHERE session_code = 'MANY'
					ORDER BY ended_at DESC, id DESC
					""")
			.query(String.class)
			.list();
		List<Response> pages = walk("/sessions/MANY/archives");
		assertThat(pages).extracting((page) -> page.json().size()).containsExactly(100, 100, 5);
		assertThat(pages.get(0).header("Link")).startsWith("</sessions/MANY/archives?limit=100&cursor=");
		assertThat(sessionIds(pages)).containsExactlyElementsOf(expected);
		// odd limits cut ties in two
		assertThat(sessionIds(walk("/sessions/MANY/archives?limit=7"))).containsExactlyElementsOf(expected);
		Response largest = this.api.get("/sessions/MANY/archives?limit=1000");
		assertThat(largest.json().size()).isEqualTo(205);
		assertThat(largest.headers().allValues("Link")).isEmpty();
	}

	@Test
	void badLimitsAndCursorsOfArchivesAreProblemsNamingTheParameter() {
		for (int i = 0; i < 2; i++) {
			insertArchive("BAD", Instant.parse("2026-11-24T07:13:53Z").plusSeconds(i));
		}
		String cursor = nextCursor(this.api.get("/sessions/BAD/archives?limit=1"));
		for (String limit : new String[] { "", "0", "-1", "1001", "abc", "1.5", "%2B5", "%205", "99999999999999999999",
				"3&limit=4" }) {
			assertProblem("/sessions/BAD/archives?limit=" + limit, "'limit' must be an integer from 1 to 1000");
		}
		for (String bad : new String[] { "", "x", "%21%21", cursor.substring(0, cursor.length() - 1),
				cursor.substring(0, 20), cursor + "A", cursor + "%3D", tamper(cursor), "aGVsbG8" }) {
			assertProblem("/sessions/BAD/archives?cursor=" + bad, "'cursor' ");
		}
		assertThat(this.api.get("/sessions/BAD/archives?cursor=" + cursor).status()).isEqualTo(200);
	}

	@Test
	void aCursorOfOneCodeIsRefusedByAnotherAndAForgedOneStaysWithinItsCode() {
		for (int i = 0; i < 3; i++) {
			insertArchive("ALPHA", Instant.parse("2026-11-24T07:00:00Z").plusSeconds(i));
			insertArchive("BETA", Instant.parse("2026-11-24T08:00:00Z").plusSeconds(i));
		}
		String alphaCursor = nextCursor(this.api.get("/sessions/ALPHA/archives?limit=1"));
		assertProblem("/sessions/BETA/archives?limit=1&cursor=" + alphaCursor, "another list");
		// A client can forge a cursor (nothing in it is secret), but the code still chooses the
		// rows: a position ahead of every archive, forged for BETA's list, gives BETA's, none of ALPHA's.
		String forged = new Cursor(Instant.parse("2099-01-01T00:00:00Z"), Long.MAX_VALUE)
			.encode("/sessions/BETA/archives");
		Response response = this.api.get("/sessions/BETA/archives?cursor=" + forged);
		assertThat(response.status()).isEqualTo(200);
		List<String> beta = sessionIds(List.of(this.api.get("/sessions/BETA/archives")));
		assertThat(beta).hasSize(3);
		assertThat(sessionIds(List.of(response))).containsExactlyElementsOf(beta);
	}

	/**
	 * Waits for the clock to reach its next millisecond, so that the instance ended next
	 * ends later than the one archived last, and the order is by time, not by a tie.
	 */
	private static void awaitNextMillisecond() {
		long now = System.currentTimeMillis();
		await().pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(1))
			.until(() -> System.currentTimeMillis() > now);
	}

	private void insertArchive(String code, Instant endedAt) {
		this.jdbc.sql("""
				INSERT INTO session_history (session_id, session_code, message_count, created_at,
				    ended_at, end_reason)
				VALUES (?, ?, 0, ?, ?, 'expired')
				""")
			.params(UUID.randomUUID(), code, endedAt.minusSeconds(600).atOffset(ZoneOffset.UTC),
					endedAt.atOffset(ZoneOffset.UTC))
			.update();
	}

	/** The pages of a list, from the first through the next links until the last. */
	private List<Response> walk(String first) {
		List<Response> pages = new ArrayList<>();
		for (String uri = first; uri != null; uri = next(pages.get(pages.size() - 1))) {
			assertThat(pages).as("pages of " + first).hasSizeLessThan(100);
			Response page = this.api.get(uri);
			assertThat(page.status()).as(page.text()).isEqualTo(200);
			pages.add(page);
		}
		return pages;
	}

	private static String next(Response page) {
		List<String> links = page.headers().allValues("Link");
		if (links.isEmpty()) {
			return null;
		}
		assertThat(links).hasSize(1);
		Matcher link = NEXT_LINK.matcher(links.get(0));
		assertThat(link.matches()).as(links.get(0)).isTrue();
		return link.group(1);
	}

	private static String nextCursor(Response page) {
		String next = next(page);
		assertThat(next).isNotNull();
		return next.substring(next.indexOf("cursor=") + "cursor=".length());
	}

	private static List<String> sessionIds(List<Response> pages) {
		List<String> ids = new ArrayList<>();
		for (Response page : pages) {
			page.json().forEach((archive) -> ids.add(archive.get("sessionId").asString()));
		}
		return ids;
	}

	/** The cursor with one character changed. */
	private static String tamper(String cursor) {
		int middle = cursor.length() / 2;
		char changed = (cursor.charAt(middle) == 'A') ? 'B' : 'A';
		return cursor.substring(0, middle) + changed + cursor.substring(middle + 1);
	}

	private void assertProblem(String uri, String detail) {
		Response response = this.api.get(uri);
		assertThat(response.status()).as(uri).isEqualTo(400);
		assertThat(response.header("Content-Type")).as(uri).isEqualTo("application/problem+json");
		assertThat(response.json().get("detail").asString()).as(uri).contains(detail);
	}

	private UUID create(String code, int ttlSeconds) {
		Response response = this.api.postJson("/sessions",
				"{\"code\":\"" + code + "\",\"ttlSeconds\":" + ttlSeconds + "}");
		assertThat(response.status()).as(response.text()).isEqualTo(201);
		return UUID.fromString(response.json().get("sessionId").asString());
	}

	private static Duration between(JsonNode session, String from, String to) {
		return Duration.between(Instant.parse(session.get(from).asString()), Instant.parse(session.get(to).asString()));
	}

	/** How many members the due index's buckets hold together. */
	private long dueCount() {
		long count = 0;
		for (int bucket = 0; bucket < this.keys.dueBuckets(); bucket++) {
			count += this.redis.opsForZSet().size(this.keys.dueBucket(bucket));
		}
		return count;
	}

}
