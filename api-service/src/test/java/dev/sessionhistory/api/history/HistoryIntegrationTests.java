package dev.sessionhistory.api.history;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

@RealServers
class HistoryIntegrationTests extends AbstractApiIntegrationTests {

	private static final List<String> QUERIES = List.of("", "limit=10", "limit=1", "limit=1000", "after=0&limit=10",
			"after=5&limit=10", "after=20&limit=10", "after=25", "after=30", "before=26&limit=10", "before=10&limit=4",
			"before=1", "before=0", "before=100&limit=3", "after=24&limit=1");

	@Test
	void everyPageIsTheSameLiveEndedAndArchived() {
		String code = this.api.createSession("{}");
		UUID sessionId = this.api.sessionId(code);
		appendVaried(code, 25);
		Map<String, Response> live = pages(code, "");
		live.forEach((query, page) -> {
			assertThat(page.status()).as(query).isEqualTo(200);
			assertThat(page.json().get("source").asString()).isEqualTo("live");
			assertThat(page.json().get("status").asString()).isEqualTo("active");
		});
		assertThat(seqs(live.get(""))).containsExactlyElementsOf(range(1, 25));
		assertThat(seqs(live.get("limit=10"))).containsExactlyElementsOf(range(16, 25));
		assertThat(live.get("limit=10").json().get("hasMore").asBoolean()).isTrue();
		assertThat(seqs(live.get("after=5&limit=10"))).containsExactlyElementsOf(range(6, 15));
		assertThat(seqs(live.get("after=20&limit=10"))).containsExactlyElementsOf(range(21, 25));
		assertThat(live.get("after=20&limit=10").json().get("hasMore").asBoolean()).isFalse();
		assertThat(seqs(live.get("before=10&limit=4"))).containsExactlyElementsOf(range(6, 9));
		assertThat(live.get("before=10&limit=4").json().get("hasMore").asBoolean()).isTrue();
		assertThat(seqs(live.get("before=1"))).isEmpty();
		assertThat(seqs(live.get("after=30"))).isEmpty();

		this.api.post("/sessions/" + code + "/end");
		Map<String, Response> ended = pages(code, "");
		this.archiver.archive(code, sessionId);
		Map<String, Response> archived = pages(code, "");
		Map<String, Response> archivedById = pages(code, "sessionId=" + sessionId + "&");
		for (String query : QUERIES) {
			assertSamePage(ended.get(query), live.get(query), "live", "ended");
			assertSamePage(archived.get(query), live.get(query), "archive", "ended");
			assertSamePage(archivedById.get(query), live.get(query), "archive", "ended");
		}
	}

	@Test
	void aClientPagingAcrossTheArchivingSeesNoGapAndNoDuplicate() {
		String code = this.api.createSession("{}");
		UUID sessionId = this.api.sessionId(code);
		appendVaried(code, 20);
		List<Long> forward = new ArrayList<>();
		JsonNode page = this.api.get("/sessions/" + code + "/history?after=0&limit=7").json();
		forward.addAll(seqs(page));
		this.api.post("/sessions/" + code + "/end");
		page = this.api.get("/sessions/" + code + "/history?after=" + last(forward) + "&limit=7").json();
		forward.addAll(seqs(page));
		this.archiver.archive(code, sessionId);
		while (page.get("hasMore").asBoolean()) {
			page = this.api.get("/sessions/" + code + "/history?after=" + last(forward) + "&limit=7").json();
			assertThat(page.get("source").asString()).isEqualTo("archive");
			forward.addAll(seqs(page));
		}
		assertThat(forward).containsExactlyElementsOf(range(1, 20));

		List<Long> backward = new ArrayList<>();
		page = this.api.get("/sessions/" + code + "/history?limit=6").json();
		backward.addAll(0, seqs(page));
		while (page.get("hasMore").asBoolean()) {
			page = this.api.get("/sessions/" + code + "/history?limit=6&before=" + backward.get(0)).json();
			backward.addAll(0, seqs(page));
		}
		assertThat(backward).containsExactlyElementsOf(range(1, 20));
	}

	@Test
	void messagesComeBackExactlyAsStored() {
		String code = this.api.createSession("{}");
		UUID sessionId = this.api.sessionId(code);
		appendVaried(code, 6);
		List<String> stored = this.redis.opsForList().range(this.keys.messages(code, sessionId), 0, -1);
		String live = this.api.get("/sessions/" + code + "/history").messagesText();
		assertThat(live).isEqualTo("[" + String.join(",", stored) + "]");
		this.api.post("/sessions/" + code + "/end");
		this.archiver.archive(code, sessionId);
		String raw = this.jdbc.sql("SELECT messages_raw::text FROM session_history_chunk WHERE session_id = ?")
			.param(sessionId)
			.query(String.class)
			.single();
		Response archived = this.api.get("/sessions/" + code + "/history");
		assertThat(archived.messagesText()).isEqualTo(raw).isEqualTo(live);
		assertThat(archived.header("Content-Length")).isEqualTo(String.valueOf(archived.body().length));
	}

	@Test
	void aReusedCodeShowsItsNewSessionWhileTheOldStaysReachableById() {
		String code = "REUSE";
		this.api.createSession("{\"code\":\"REUSE\"}");
		UUID old = this.api.sessionId(code);
		this.api.append(code, "{\"data\":\"old\"}");
		this.api.post("/sessions/REUSE/end");
		this.archiver.archive(code, old);
		this.api.createSession("{\"code\":\"REUSE\"}");
		UUID fresh = this.api.sessionId(code);
		this.api.append(code, "{\"data\":\"new 1\"}");
		this.api.append(code, "{\"data\":\"new 2\"}");

		JsonNode current = this.api.get("/sessions/REUSE/history").json();
		assertThat(current.get("sessionId").asString()).isEqualTo(fresh.toString());
		assertThat(current.get("source").asString()).isEqualTo("live");
		assertThat(data(current)).containsExactly("new 1", "new 2");
		JsonNode previous = this.api.get("/sessions/REUSE/history?sessionId=" + old).json();
		assertThat(previous.get("source").asString()).isEqualTo("archive");
		assertThat(previous.get("sessionId").asString()).isEqualTo(old.toString());
		assertThat(data(previous)).containsExactly("old");
		assertThat(data(this.api.get("/sessions/REUSE/history?sessionId=" + fresh).json()))
			.containsExactly("new 1", "new 2");
	}

	@Test
	void archivedPagesCarryAStrongETagAndExplicitOnesAreImmutable() {
		String code = this.api.createSession("{}");
		UUID sessionId = this.api.sessionId(code);
		appendVaried(code, 5);
		Response live = this.api.get("/sessions/" + code + "/history");
		assertThat(live.header("ETag")).isNull();
		assertThat(live.header("Cache-Control")).isEqualTo("no-store");
		this.api.post("/sessions/" + code + "/end");
		this.archiver.archive(code, sessionId);

		Response latest = this.api.get("/sessions/" + code + "/history?limit=2");
		String eTag = latest.header("ETag");
		assertThat(eTag).startsWith("\"").endsWith("\"");
		assertThat(latest.header("Cache-Control")).isEqualTo("private, no-cache");
		Response explicit = this.api.get("/sessions/" + code + "/history?limit=2&sessionId=" + sessionId);
		assertThat(explicit.header("ETag")).isEqualTo(eTag);
		assertThat(explicit.header("Cache-Control")).isEqualTo("private, max-age=60");
		assertThat(explicit.body()).isEqualTo(latest.body());

		Response notModified = this.api.get("/sessions/" + code + "/history?limit=2&sessionId=" + sessionId,
				"If-None-Match", eTag);
		assertThat(notModified.status()).isEqualTo(304);
		assertThat(notModified.body()).isEmpty();
		assertThat(notModified.header("ETag")).isEqualTo(eTag);
		assertThat(this.api.get("/sessions/" + code + "/history?limit=2", "If-None-Match", "\"other\", " + eTag)
			.status()).isEqualTo(304);
		Response otherPage = this.api.get("/sessions/" + code + "/history?limit=3", "If-None-Match", eTag);
		assertThat(otherPage.status()).isEqualTo(200);
		assertThat(otherPage.header("ETag")).isNotEqualTo(eTag);
	}

	@Test
	void anEmptySessionHasAnEmptyHistory() {
		String code = this.api.createSession("{}");
		assertThat(this.api.get("/sessions/" + code + "/history").text()).isEqualTo("{\"code\":\"" + code
				+ "\",\"sessionId\":\"" + this.api.sessionId(code)
				+ "\",\"source\":\"live\",\"status\":\"active\",\"total\":0,\"hasMore\":false,\"messages\":[]}");
	}

	@Test
	void invalidQueriesAreRefusedAndUnknownSessionsAreNotFound() {
		String code = this.api.createSession("{}");
		for (String query : List.of("limit=0", "limit=1001", "limit=abc", "limit=", "limit=-1", "before=-1",
				"after=x", "after=1.5", "before=1e3", "before=1&after=2", "sessionId=nope",
				"after=99999999999999999999999")) {
			Response response = this.api.get("/sessions/" + code + "/history?" + query);
			assertThat(response.status()).as(query).isEqualTo(400);
			assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
			assertThat(response.json().get("detail").asString()).isNotBlank();
		}
		assertThat(this.api.get("/sessions/NOSUCH/history").status()).isEqualTo(404);
		assertThat(this.api.get("/sessions/" + code + "/history?sessionId=" + UUID.randomUUID()).status())
			.isEqualTo(404);
		String other = this.api.createSession("{}");
		assertThat(this.api.get("/sessions/" + other + "/history?sessionId=" + this.api.sessionId(code)).status())
			.isEqualTo(404);
	}

	private Map<String, Response> pages(String code, String prefix) {
		Map<String, Response> pages = new LinkedHashMap<>();
		for (String query : QUERIES) {
			pages.put(query, this.api.get("/sessions/" + code + "/history?" + prefix + query));
		}
		return pages;
	}

	private static void assertSamePage(Response actual, Response expected, String source, String status) {
		assertThat(actual.status()).isEqualTo(200);
		JsonNode page = actual.json();
		assertThat(page.get("source").asString()).isEqualTo(source);
		assertThat(page.get("status").asString()).isEqualTo(status);
		assertThat(page.get("total")).isEqualTo(expected.json().get("total"));
		assertThat(page.get("hasMore")).isEqualTo(expected.json().get("hasMore"));
		assertThat(actual.messagesText()).isEqualTo(expected.messagesText());
	}

	private void appendVaried(String code, int count) {
		for (int i = 1; i <= count; i++) {
			String data = switch (i % 4) {
				case 0 -> "{\"text\": \"caf\u00e9 \ud83d\ude00 \\\"quoted\\\" ]},[\", \"n\": 2.50}";
				case 1 -> "[1, 1e2, -0.0, true, null, {\"deep\": [[{}]]}]";
				case 2 -> "\"line\\nbreak \\u00e9\"";
				default -> String.valueOf(i);
			};
			Response response = this.api.append(code, "{\"id\":\"m" + i + "\",\"sender\":\"s\",\"data\":" + data + "}");
			assertThat(response.status()).as(response.text()).isEqualTo(201);
		}
	}

	private static List<Long> seqs(Response page) {
		return seqs(page.json());
	}

	private static List<String> data(JsonNode page) {
		return page.get("messages").values().stream().map((message) -> message.get("data").asString()).toList();
	}

	private static List<Long> range(long from, long to) {
		List<Long> range = new ArrayList<>();
		for (long seq = from; seq <= to; seq++) {
			range.add(seq);
		}
		return range;
	}

	private static long last(List<Long> seqs) {
		return seqs.get(seqs.size() - 1);
	}

}
