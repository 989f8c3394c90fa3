package dev.sessionhistory.api.history;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.archive.ArchiverStandIn;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pages bounded by bytes ({@code history.page.max-bytes}, here 4 KiB) are the same live
 * and archived, byte for byte, whatever the cursor, and paging visits every message once.
 */
@RealServers
@TestPropertySource(properties = { "history.page.max-bytes=4KB", "history.message.max-size=300KB" })
class PageBytesIntegrationTests extends AbstractApiIntegrationTests {

	private static final int MAX_BYTES = 4096;

	private static final int COUNT = 300;

	/** Stored sizes to aim at, in turn: several per page, some alone, one above the cap. */
	private static final int[] SIZES = { 150, 700, 1500, 2900, 5000, 300, 1200, 4096, 90, 2000, 3100 };

	/** One message larger than a whole chunk's bytes, so it is a chunk of its own. */
	private static final int HUGE_SEQ = 150;

	@Test
	void livePagesAndArchivedPagesAreIdenticalAndBoundedByBytes() {
		String code = this.api.createSession("{}");
		UUID sessionId = this.api.sessionId(code);
		for (int seq = 1; seq <= COUNT; seq++) {
			int size = (seq == HUGE_SEQ) ? 270 * 1024 : SIZES[seq % SIZES.length];
			String body = "{\"id\":\"p" + seq + "\",\"data\":\"" + "y".repeat(Math.max(size - 110, 1)) + "\"}";
			assertThat(this.api.append(code, body).status()).isEqualTo(201);
		}
		int[] stored = this.redis.opsForList()
			.range(this.keys.messages(code, sessionId), 0, -1)
			.stream()
			.mapToInt((message) -> message.getBytes(StandardCharsets.UTF_8).length)
			.toArray();
		assertThat(stored).hasSize(COUNT);
		assertThat(stored[HUGE_SEQ - 1]).isGreaterThan(ArchiverStandIn.CHUNK_BYTES);

		List<String> queries = queries();
		this.api.post("/sessions/" + code + "/end");
		Map<String, Response> live = pages(this.api, code, queries);
		List<Long> liveForward = pageForward(this.api, code, "live");
		this.archiver.archive(code, sessionId);
		assertThat(this.jdbc.sql("SELECT count(*) FROM session_history_chunk WHERE session_id = ?")
			.param(sessionId)
			.query(Integer.class)
			.single()).as("chunks").isGreaterThan(3);
		Map<String, Response> archived = pages(this.api, code, queries);
		List<Long> archivedForward = pageForward(this.api, code, "archive");

		for (String query : queries) {
			Response page = live.get(query);
			assertThat(page.status()).as(query).isEqualTo(200);
			assertThat(page.json().get("source").asString()).isEqualTo("live");
			assertThat(archived.get(query).json().get("source").asString()).isEqualTo("archive");
			assertThat(seqs(archived.get(query).json())).as(query).isEqualTo(seqs(page.json()));
			String expected = page.text().replace("\"source\":\"live\"", "\"source\":\"archive\"");
			String actual = archived.get(query).text();
			assertThat(actual.equals(expected)).as("%s: the archived page differs from the live one at char %d", query,
					mismatch(actual, expected)).isTrue();
			assertCutByBytes(query, page.json(), stored);
		}
		List<Long> every = new ArrayList<>();
		for (long seq = 1; seq <= COUNT; seq++) {
			every.add(seq);
		}
		assertThat(liveForward).containsExactlyElementsOf(every);
		assertThat(archivedForward).containsExactlyElementsOf(every);

		JsonNode huge = archived.get("after=" + (HUGE_SEQ - 1)).json();
		assertThat(seqs(huge)).containsExactly((long) HUGE_SEQ);
		assertThat(huge.get("hasMore").asBoolean()).isTrue();
		assertThat(seqs(archived.get("before=" + (HUGE_SEQ + 1)).json())).containsExactly((long) HUGE_SEQ);
		assertThat(seqs(archived.get("after=" + HUGE_SEQ).json())).first().isEqualTo(HUGE_SEQ + 1L);
	}

	/** Every cursor, with the default limit and a small one, and the latest pages. */
	private static List<String> queries() {
		List<String> queries = new ArrayList<>(List.of("", "limit=1", "limit=3", "limit=1000"));
		for (int n = 0; n <= COUNT + 1; n++) {
			queries.add("after=" + n);
			queries.add("before=" + n);
			if (n % 7 == 0) {
				queries.add("after=" + n + "&limit=2");
				queries.add("before=" + n + "&limit=2");
			}
		}
		return queries;
	}

	private static Map<String, Response> pages(ApiClient api, String code, List<String> queries) {
		Map<String, Response> pages = new LinkedHashMap<>();
		for (String query : queries) {
			pages.put(query, api.get("/sessions/" + code + "/history?" + query));
		}
		return pages;
	}

	private static List<Long> pageForward(ApiClient api, String code, String source) {
		List<Long> seqs = new ArrayList<>();
		long after = 0;
		JsonNode page;
		do {
			page = api.get("/sessions/" + code + "/history?after=" + after).json();
			assertThat(page.get("source").asString()).isEqualTo(source);
			List<Long> got = seqs(page);
			assertThat(got).as("page after %d", after).isNotEmpty();
			seqs.addAll(got);
			after = got.get(got.size() - 1);
		}
		while (page.get("hasMore").asBoolean());
		return seqs;
	}

	/**
	 * The page holds at least one message, at most the cap's worth unless it is alone, and
	 * it stopped short of its limit only before a message that would have passed the cap.
	 */
	private static void assertCutByBytes(String query, JsonNode page, int[] stored) {
		List<Long> seqs = seqs(page);
		if (seqs.isEmpty()) {
			return;
		}
		long bytes = seqs.stream().mapToLong((seq) -> stored[(int) (seq - 1)]).sum();
		if (seqs.size() > 1) {
			assertThat(bytes).as(query).isLessThanOrEqualTo(MAX_BYTES);
		}
		int limit = query.contains("limit=") ? Integer.parseInt(query.replaceAll(".*limit=", "")) : 100;
		if (seqs.size() < limit && page.get("hasMore").asBoolean()) {
			boolean forward = query.startsWith("after=");
			long next = forward ? seqs.get(seqs.size() - 1) + 1 : seqs.get(0) - 1;
			assertThat(bytes + stored[(int) (next - 1)]).as(query + ": the next message would pass the cap")
				.isGreaterThan(MAX_BYTES);
		}
	}

	private static int mismatch(String a, String b) {
		int i = 0;
		while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
			i++;
		}
		return i;
	}

}
