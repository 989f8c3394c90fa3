package dev.sessionhistory.api.archive;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page of a large archive (10,000 messages of 16 KiB, 160 MiB in 625 chunks) reads
 * the chunks it overlaps and nothing else, as PostgreSQL's own figures for the store's
 * statements and the bytes the store fetched show.
 */
@RealServers
class LargeArchiveIntegrationTests extends AbstractApiIntegrationTests {

	private static final int COUNT = 10_000;

	private static final int MESSAGE_BYTES = 16 * 1024;

	/** As the archiver cuts them: 16 messages of 16 KiB are its 256 KiB. */
	private static final int PER_CHUNK = 16;

	private static final int CHUNKS = COUNT / PER_CHUNK;

	/** The default page limit of 1 MB holds 64 of these messages: 4 chunks. */
	private static final int PAGE = 64;

	private static final String CODE = "LARGE";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	ArchiveCache store;

	UUID sessionId = UUID.randomUUID();

	@BeforeEach
	void archive() {
		LargeArchive.insert(this.jdbc, this.sessionId, CODE, COUNT, MESSAGE_BYTES, PER_CHUNK);
	}

	@Test
	void theFirstAndTheLastPageReadOnlyTheirChunks() {
		assertThat(this.jdbc.sql("SELECT count(*) FROM session_history_chunk").query(Integer.class).single())
			.isEqualTo(CHUNKS);

		long chunksBefore = this.store.fetchedChunks();
		long bytesBefore = this.store.fetchedBytes();
		Response first = this.api.get("/sessions/" + CODE + "/history?after=0");
		assertPage(first, 1, true);
		int[] firstChunks = { 1, 17, 33, 49 };
		assertThat(this.store.fetchedChunks() - chunksBefore).isEqualTo(firstChunks.length);
		assertThat(this.store.fetchedBytes() - bytesBefore).isEqualTo(chunkBytes(firstChunks));
		assertThat(first.messagesText()).isEqualTo("[" + storedMessages(1, PAGE) + "]");

		chunksBefore = this.store.fetchedChunks();
		bytesBefore = this.store.fetchedBytes();
		Response last = this.api.get("/sessions/" + CODE + "/history");
		assertPage(last, COUNT - PAGE + 1, true);
		int[] lastChunks = { 9937, 9953, 9969, 9985 };
		assertThat(this.store.fetchedChunks() - chunksBefore).isEqualTo(lastChunks.length);
		assertThat(this.store.fetchedBytes() - bytesBefore).isEqualTo(chunkBytes(lastChunks));
		assertThat(last.messagesText()).isEqualTo("[" + storedMessages(COUNT - PAGE + 1, COUNT) + "]");

		// again: directory and chunks come from the cache
		chunksBefore = this.store.fetchedChunks();
		assertThat(this.api.get("/sessions/" + CODE + "/history").body()).isEqualTo(last.body());
		assertThat(this.store.fetchedChunks()).isEqualTo(chunksBefore);

		// PostgreSQL's figures for the store's statements: a page's chunks cost a small,
		// fixed share of what the whole archive costs, and the directory touches no text.
		Figures page = explain("SELECT sum(length(messages_raw::text)) FROM (" + ArchiveTable.CHUNKS + ") AS c",
				this.sessionId, firstChunks);
		Figures whole = explain("SELECT sum(length(messages_raw::text)) FROM (" + ArchiveTable.CHUNKS + ") AS c",
				this.sessionId, IntStream.range(0, CHUNKS).map((i) -> i * PER_CHUNK + 1).toArray());
		Figures directory = explain(ArchiveTable.DIRECTORY, this.sessionId);
		assertThat(page.rows()).isEqualTo(firstChunks.length);
		assertThat(whole.rows()).isEqualTo(CHUNKS);
		assertThat(page.blocks() * 40).as("page %s, whole archive %s", page, whole).isLessThan(whole.blocks());
		assertThat(directory.rows()).isEqualTo(CHUNKS);
		assertThat(directory.blocks() * 10).as("directory %s, whole archive %s", directory, whole)
			.isLessThan(whole.blocks());
	}

	private void assertPage(Response response, int firstSeq, boolean hasMore) {
		assertThat(response.status()).isEqualTo(200);
		JsonNode page = response.json();
		assertThat(page.get("source").asString()).isEqualTo("archive");
		assertThat(page.get("total").asInt()).isEqualTo(COUNT);
		assertThat(page.get("hasMore").asBoolean()).isEqualTo(hasMore);
		List<Integer> seqs = page.get("messages").values().stream().map((m) -> m.get("seq").asInt()).toList();
		assertThat(seqs).containsExactlyElementsOf(IntStream.range(firstSeq, firstSeq + PAGE).boxed().toList());
		page.get("messages").values().forEach((message) -> assertThat(JSON.writeValueAsString(message)).hasSize(MESSAGE_BYTES));
	}

	/** The stored text of messages {@code from} to {@code to}, joined with commas. */
	private String storedMessages(int from, int to) {
		return this.jdbc.sql("""
				SELECT string_agg(m.message::text, ',' ORDER BY c.first_seq, m.i)
				FROM session_history_chunk c, json_array_elements(c.messages_raw) WITH ORDINALITY AS m(message, i)
				WHERE c.session_id = ? AND c.first_seq + m.i - 1 BETWEEN ? AND ?
				""").params(this.sessionId, from, to).query(String.class).single();
	}

	private long chunkBytes(int[] firstSeqs) {
		return this.jdbc.sql("""
				SELECT sum(octet_length(messages_raw::text)) FROM session_history_chunk
				WHERE session_id = ? AND first_seq = ANY(?)
				""").params(this.sessionId, firstSeqs).query(Long.class).single();
	}

	/** {@code EXPLAIN (ANALYZE, BUFFERS)}: rows of the scan and shared blocks the statement touched. */
	private Figures explain(String sql, Object... params) {
		String plan = this.jdbc.sql("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
			.params(params)
			.query(String.class)
			.single();
		JsonNode root = JSON.readTree(plan).get(0).get("Plan");
		return new Figures(scanRows(root),
				root.get("Shared Hit Blocks").asLong() + root.get("Shared Read Blocks").asLong());
	}

	/** The actual rows of the deepest node that reads session_history_chunk. */
	private static long scanRows(JsonNode node) {
		long rows = -1;
		if (node.has("Relation Name") && "session_history_chunk".equals(node.get("Relation Name").asString())) {
			rows = node.get("Actual Rows").asLong() * node.get("Actual Loops").asLong();
		}
		if (node.has("Plans")) {
			for (JsonNode child : node.get("Plans").values()) {
				rows = Math.max(rows, scanRows(child));
			}
		}
		return rows;
	}

	record Figures(long rows, long blocks) {
	}

}
