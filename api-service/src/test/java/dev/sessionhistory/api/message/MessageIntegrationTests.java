package dev.sessionhistory.api.message;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.model.CreateReply;
import dev.sessionhistory.model.EndReply;
import dev.sessionhistory.model.PurgeReply;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.SessionScripts;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@RealServers
@TestPropertySource(properties = "history.message.max-count=300")
class MessageIntegrationTests extends AbstractApiIntegrationTests {

	@Test
	void appendStoresTheMessageWithSeqServerTimeAndAGeneratedId() {
		// A session token's holder is no user: the stored message names none.
		Response created = this.api.anonymous().postJson("/sessions", "{}");
		String code = created.json().get("code").asString();
		ApiClient holder = this.api.as(created.json().get("accessToken").asString());
		Instant before = Instant.now().minusMillis(1);
		Response first = holder.append(code, "{\"sender\":\"u1\",\"type\":\"chat\",\"data\":{\"text\": \"h\u00e9llo \ud83d\ude00\", \"n\": 2.50}}");
		assertThat(first.status()).isEqualTo(201);
		assertThat(first.header("Content-Type")).isEqualTo("application/json");
		JsonNode message = first.json();
		assertThat(message.get("seq").asLong()).isEqualTo(1);
		assertThat(UUID.fromString(message.get("id").asString())).isNotNull();
		assertThat(message.get("sentAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
		assertThat(Instant.parse(message.get("sentAt").asString())).isBetween(before, Instant.now());
		assertThat(first.text()).isEqualTo("{\"seq\":1,\"id\":\"" + message.get("id").asString() + "\",\"sentAt\":\""
				+ message.get("sentAt").asString()
				+ "\",\"sender\":\"u1\",\"type\":\"chat\",\"data\":{\"text\":\"h\u00e9llo \ud83d\ude00\",\"n\":2.50}}");
		Response second = holder.append(code, "{\"id\":\"given\",\"data\":null}");
		assertThat(second.status()).isEqualTo(201);
		assertThat(second.text()).startsWith("{\"seq\":2,\"id\":\"given\",").endsWith("\"sender\":null,\"type\":null,\"data\":null}");
		UUID sessionId = this.api.sessionId(code);
		assertThat(this.redis.opsForList().range(this.keys.messages(code, sessionId), 0, -1))
			.containsExactly(first.text(), second.text());
	}

	@Test
	void aRepeatedIdIsARetryThatReturnsTheOriginal() {
		String code = this.api.createSession("{}");
		Response original = this.api.append(code, "{\"id\":\"m-1\",\"data\":\"first\"}");
		Response retry = this.api.append(code, "{\"id\":\"m-1\",\"data\":\"second\"}");
		assertThat(retry.status()).isEqualTo(200);
		assertThat(retry.body()).isEqualTo(original.body());
		assertThat(this.redis.opsForList().size(this.keys.messages(code, this.api.sessionId(code)))).isEqualTo(1);
		this.api.post("/sessions/" + code + "/end");
		Response afterEnd = this.api.append(code, "{\"id\":\"m-1\",\"data\":\"first\"}");
		assertThat(afterEnd.status()).isEqualTo(200);
		assertThat(afterEnd.body()).isEqualTo(original.body());
	}

	/**
	 * The API appends to the instance it remembers as current in one round trip; when
	 * another writer has given the code a new instance since, the append still goes there.
	 */
	@Test
	void anAppendGoesToTheCodesNewInstanceThatAnotherWriterCreated() {
		String code = this.api.createSession("{}");
		UUID first = this.api.sessionId(code);
		Response before = this.api.append(code, "{\"id\":\"m-1\",\"data\":1}");
		assertThat(before.header("Session-Id")).isEqualTo(first.toString());
		long now = System.currentTimeMillis();
		assertThat(SessionScripts.end(this.keys, code, first, now).run(this.redis)).isEqualTo(EndReply.ENDED);
		assertThat(SessionScripts.purge(this.keys, new RedisKeys.SessionRef(code, first)).run(this.redis))
			.isEqualTo(PurgeReply.PURGED);
		UUID second = UUID.randomUUID();
		assertThat(SessionScripts.create(this.keys, code, second, now, 60_000, "", 3600, null).run(this.redis))
			.isEqualTo(CreateReply.OK);
		Response after = this.api.append(code, "{\"id\":\"m-2\",\"data\":2}");
		assertThat(after.status()).isEqualTo(201);
		assertThat(after.header("Session-Id")).isEqualTo(second.toString());
		assertThat(after.json().get("seq").asLong()).isEqualTo(1);
		assertThat(this.redis.opsForList().range(this.keys.messages(code, second), 0, -1)).containsExactly(after.text());
	}

	@Test
	void concurrentAppendsGetGapFreeUniqueSeqs() throws Exception {
		String code = this.api.createSession("{}");
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<Future<Response>> futures = new ArrayList<>();
		for (int i = 0; i < 160; i++) {
			String body = "{\"id\":\"c" + i + "\",\"data\":" + i + "}";
			futures.add(pool.submit(() -> this.api.append(code, body)));
		}
		// half of them again, as retries racing the originals
		for (int i = 0; i < 160; i += 2) {
			String body = "{\"id\":\"c" + i + "\",\"data\":" + i + "}";
			futures.add(pool.submit(() -> this.api.append(code, body)));
		}
		List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
		int created = 0;
		for (Future<Response> future : futures) {
			Response response = future.get();
			assertThat(response.status()).isIn(200, 201);
			if (response.status() == 201) {
				created++;
				seqs.add(response.json().get("seq").asLong());
			}
		}
		pool.shutdown();
		assertThat(created).isEqualTo(160);
		assertThat(seqs).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 160).mapToObj(Long::valueOf).toList());
		List<String> stored = this.redis.opsForList().range(this.keys.messages(code, this.api.sessionId(code)), 0, -1);
		assertThat(stored).hasSize(160);
		for (int i = 0; i < stored.size(); i++) {
			assertThat(stored.get(i)).startsWith("{\"seq\":" + (i + 1) + ",");
		}
	}

	@Test
	void eachAppendRestartsTheIdleTtl() throws InterruptedException {
		String code = this.api.createSession("{\"ttlSeconds\":2}");
		for (int i = 0; i < 3; i++) {
			// time must pass, 3 seconds in all, longer than the TTL: nothing to wait for
			Thread.sleep(1000);
			assertThat(this.api.append(code, "{\"data\":" + i + "}").status()).isEqualTo(201);
		}
		assertThat(this.api.get("/sessions/" + code).json().get("status").asString()).isEqualTo("active");
		// reading does not restart the TTL; appending would
		await().atMost(Duration.ofSeconds(3))
			.until(() -> this.api.get("/sessions/" + code).json().get("status").asString(), "ended"::equals);
		assertThat(this.api.append(code, "{\"data\":\"late\"}").status()).isEqualTo(409);
	}

	@Test
	void appendAnswersEveryRefusalWithAProblem() {
		String code = this.api.createSession("{}");
		assertProblem(this.api.append("UNKNOWN", "{\"data\":1}"), 404);
		assertProblem(this.api.append(code, "{\"data\":"), 400);
		assertProblem(this.api.append(code, "{\"sender\":\"u1\"}"), 400);
		assertProblem(this.api.append(code, "[1]"), 400);
		assertProblem(this.api.append(code, ""), 400);
		assertProblem(this.api.append(code, "{\"data\":1} trailing"), 400);
		assertProblem(this.api.append(code, "{\"data\":1,\"data\":2}"), 400);
		assertProblem(this.api.append(code, "{\"id\":\"" + "x".repeat(65) + "\",\"data\":1}"), 400);
		assertProblem(this.api.append(code, "{\"id\":\"\",\"data\":1}"), 400);
		assertProblem(this.api.append(code, "{\"id\":7,\"data\":1}"), 400);
		assertProblem(this.api.append(code, "{\"sender\":[],\"data\":1}"), 400);
		assertProblem(this.api.append(code, "{\"data\":{\"text\":\"nul \\u0000 inside\"}}"), 400);
		assertProblem(this.api.append(code, "{\"data\":{\"\\u0000\":1}}"), 400);
		assertProblem(this.api.append(code, "{\"sender\":\"\\u0000\",\"data\":1}"), 400);
		assertProblem(this.api.append(code, "{\"data\":\"\\ud800\"}"), 400);
		assertProblem(this.api.append(code, "{\"data\":1e999999}"), 400);
		assertProblem(this.api.append(code, "{\"data\":NaN}"), 400);
		Response userId = this.api.append(code, "{\"userId\":\"someone\",\"data\":1}");
		assertProblem(userId, 400);
		assertThat(userId.json().get("detail").asString()).contains("'userId'");
		assertProblem(this.api.post("/sessions/" + code + "/messages", "text/plain", "{\"data\":1}".getBytes()), 415);
		assertProblem(this.api.post("/sessions/" + code + "/messages", "application/xml", "<data/>".getBytes()), 415);
		assertThat(this.redis.opsForList().size(this.keys.messages(code, this.api.sessionId(code)))).isZero();
	}

	@Test
	void numbersBeyondWhatTheArchiveCanStoreAreAProblemNotAnError() {
		String code = this.api.createSession("{}");
		for (String number : new String[] { "1e99999999999", "1e2147483647" }) {
			for (String body : new String[] { "{\"data\":" + number + "}", "{\"data\":{\"n\":[" + number + "]}}" }) {
				Response response = this.api.append(code, body);
				assertProblem(response, 400);
				assertThat(response.json().get("detail").asString()).as(body).contains("out of the storable range");
			}
		}
		assertThat(this.redis.opsForList().size(this.keys.messages(code, this.api.sessionId(code)))).isZero();
		assertThat(this.api.append(code, "{\"data\":1e131071}").status()).isEqualTo(201);
	}

	@Test
	void theSizeLimitAppliesToTheRequestBody() {
		String code = this.api.createSession("{}");
		String padding = "{\"data\":\"%s\"}";
		int limit = 16 * 1024;
		String fits = padding.formatted("x".repeat(limit - padding.length() + 2));
		assertThat(fits.getBytes(StandardCharsets.UTF_8)).hasSize(limit);
		assertThat(this.api.append(code, fits).status()).isEqualTo(201);
		Response tooLarge = this.api.append(code, padding.formatted("x".repeat(limit - padding.length() + 3)));
		assertProblem(tooLarge, 413);
		assertProblem(this.api.append(code, padding.formatted("x".repeat(1024 * 1024))), 413);
		assertThat(this.redis.opsForList().size(this.keys.messages(code, this.api.sessionId(code)))).isEqualTo(1);
	}

	@Test
	void aFullSessionRefusesMoreMessages() {
		String code = this.api.createSession("{}");
		UUID sessionId = this.api.sessionId(code);
		for (int i = 1; i <= 300; i++) {
			assertThat(this.api.append(code, "{\"data\":" + i + "}").status()).isEqualTo(201);
		}
		assertProblem(this.api.append(code, "{\"data\":301}"), 422);
		assertThat(this.redis.opsForList().size(this.keys.messages(code, sessionId))).isEqualTo(300);
	}

	@Test
	void anEndedSessionRefusesMessagesAlsoOnceArchived() {
		String code = this.api.createSession("{}");
		UUID sessionId = this.api.sessionId(code);
		this.api.post("/sessions/" + code + "/end");
		assertProblem(this.api.append(code, "{\"data\":1}"), 409);
		this.archiver.archive(code, sessionId);
		assertProblem(this.api.append(code, "{\"data\":1}"), 409);
	}

	@Test
	void aPinnedRetryGoesToItsInstanceOrNowhereWhileAnUnpinnedOneLandsInTheReusedCode() {
		String code = "PINNED";
		UUID first = UUID.fromString(this.api.postJson("/sessions", "{\"code\":\"PINNED\"}").json()
			.get("sessionId").asString());
		String m1 = "{\"id\":\"m1\",\"data\":\"once\"}";
		Response original = this.api.postJson(pinned(code, first), m1);
		assertThat(original.status()).isEqualTo(201);
		assertThat(original.header("Session-Id")).isEqualTo(first.toString());
		Response retry = this.api.postJson(pinned(code, first), m1);
		assertThat(retry.status()).isEqualTo(200);
		assertThat(retry.body()).isEqualTo(original.body());

		this.api.post("/sessions/" + code + "/end");
		Response retryAfterEnd = this.api.postJson(pinned(code, first), m1);
		assertThat(retryAfterEnd.status()).as("the ended instance still holds m1").isEqualTo(200);
		assertThat(retryAfterEnd.body()).isEqualTo(original.body());
		assertProblem(this.api.postJson(pinned(code, first), "{\"id\":\"m2\",\"data\":2}"), 409);

		this.archiver.archive(code, first);
		UUID second = UUID.fromString(this.api.postJson("/sessions", "{\"code\":\"PINNED\"}").json()
			.get("sessionId").asString());
		assertProblem(this.api.postJson(pinned(code, first), m1), 409);
		assertThat(this.redis.opsForList().size(this.keys.messages(code, second))).isZero();

		// Without sessionId the retry cannot know its instance is gone: it is a new message of the new one.
		Response unpinned = this.api.append(code, m1);
		assertThat(unpinned.status()).isEqualTo(201);
		assertThat(unpinned.header("Session-Id")).isEqualTo(second.toString());
		assertThat(this.redis.opsForList().size(this.keys.messages(code, second))).isEqualTo(1);
	}

	@Test
	void aPinnedAppendNeedsAnInstanceOfTheCode() {
		String code = this.api.createSession("{}");
		UUID sessionId = this.api.sessionId(code);
		UUID other = this.api.sessionId(this.api.createSession("{}"));
		assertProblem(this.api.postJson(pinned(code, UUID.randomUUID()), "{\"data\":1}"), 404);
		assertProblem(this.api.postJson(pinned(code, other), "{\"data\":1}"), 404);
		for (String malformed : new String[] { "nope", "", "1-1-1-1-1", "00000000000000000000000000001-1-1-1",
				sessionId + "0", "%7B" + sessionId + "%7D" }) {
			assertProblem(this.api.postJson("/sessions/" + code + "/messages?sessionId=" + malformed, "{\"data\":1}"),
					400);
		}
		Response upperCase = this.api.postJson(
				"/sessions/" + code + "/messages?sessionId=" + sessionId.toString().toUpperCase(Locale.ROOT),
				"{\"data\":1}");
		assertThat(upperCase.status()).isEqualTo(201);
		assertThat(upperCase.header("Session-Id")).isEqualTo(sessionId.toString());
		assertThat(this.redis.opsForList().size(this.keys.messages(code, sessionId))).isEqualTo(1);
		assertThat(this.redis.opsForList().size(this.keys.messages(code, other))).isZero();
	}

	private static String pinned(String code, UUID sessionId) {
		return "/sessions/" + code + "/messages?sessionId=" + sessionId;
	}

	private static void assertProblem(Response response, int status) {
		assertThat(response.status()).as(response.text()).isEqualTo(status);
		assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
		assertThat(response.json().get("status").asInt()).isEqualTo(status);
		assertThat(response.json().get("detail").asString()).isNotBlank();
	}

}
