package dev.sessionhistory.api.gallery;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance's history in the gallery is the history API's, byte for byte, and its export
 * is the messages of the history's pages joined, byte for byte: live, ended and archived,
 * over many pages (of at most 4 KiB here).
 */
@RealServers
@TestPropertySource(properties = { "history.page.max-bytes=4KB", "history.session.max-bytes=64MB" })
class GalleryHistoryIntegrationTests extends AbstractApiIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int COUNT = 40;

	private static final String[] QUERIES = { "", "?limit=5", "?after=0", "?after=7&limit=3", "?before=20",
			"?before=3&limit=50", "?after=39", "?after=40", "?after=1000", "?before=1" };

	@Test
	void theHistoryIsTheHistoryApisPageByteForByteLiveEndedAndArchived() {
		String code = this.api.createSession("{}");
		UUID sessionId = this.api.sessionId(code);
		append(code, COUNT);
		assertSameHistory(code, sessionId, "live");
		assertThat(this.api.post("/sessions/" + code + "/end").status()).isEqualTo(202);
		assertSameHistory(code, sessionId, "live");
		this.archiver.archive(code, sessionId);
		assertSameHistory(code, sessionId, "archive");
	}

	@Test
	void anExportIsTheMessagesOfTheHistorysPagesJoinedLiveAndArchived() {
		String code = this.api.createSession("{}");
		UUID sessionId = this.api.sessionId(code);
		assertExport(code, sessionId, 0);
		append(code, COUNT);
		assertExport(code, sessionId, COUNT);
		assertThat(this.api.post("/sessions/" + code + "/end").status()).isEqualTo(202);
		this.archiver.archive(code, sessionId);
		assertExport(code, sessionId, COUNT);
	}

	/**
	 * Appends once the export's answer began (so after its first page was read) are not in
	 * it, however much of it the server still has to read: 15 MB here, far more than the
	 * connection buffers, so the server is mid-export when they come.
	 */
	@Test
	void aLiveExportHoldsTheMessagesTheSessionHadWhenItStarted() throws IOException {
		String code = this.api.createSession("{}");
		UUID sessionId = this.api.sessionId(code);
		int count = 1000;
		String data = "z".repeat(15_000);
		for (int i = 1; i <= count; i++) {
			assertThat(this.api.append(code, "{\"id\":\"b" + i + "\",\"data\":\"" + data + "\"}").status()).isEqualTo(201);
		}
		HttpResponse<InputStream> export = this.api.open(instance(code, sessionId) + "/export?format=ndjson");
		assertThat(export.statusCode()).isEqualTo(200);
		try (InputStream body = export.body()) {
			byte[] start = body.readNBytes(64 * 1024);
			append(code, 5);
			String all = new String(start, StandardCharsets.UTF_8) + new String(body.readAllBytes(), StandardCharsets.UTF_8);
			String[] lines = all.split("\n");
			assertThat(lines).hasSize(count);
			assertThat(JSON.readTree(lines[count - 1]).get("id").asString()).isEqualTo("b" + count);
		}
		assertThat(this.api.get("/sessions/" + code + "/history").json().get("total").asInt()).isEqualTo(count + 5);
	}

	/** A foreign writer's entry with line breaks between its tokens is one line of NDJSON, the same JSON. */
	@Test
	void aMessageWithLineBreaksIsOneLineOfTheNdjsonExport() {
		String code = this.api.createSession("{}");
		UUID sessionId = this.api.sessionId(code);
		append(code, 1);
		String pretty = "{\r\n  \"seq\": 2,\n  \"id\": \"f2\",\n  \"data\": [1,\n 2]\n}";
		this.redis.opsForList().rightPush(this.keys.messages(code, sessionId), pretty);
		append(code, 1);
		String json = this.api.get(instance(code, sessionId) + "/export").text();
		assertThat(json).contains(pretty);
		String[] lines = this.api.get(instance(code, sessionId) + "/export?format=ndjson").text().split("\n", -1);
		assertThat(lines).hasSize(4);
		assertThat(lines[3]).as("after the last line's break").isEmpty();
		assertThat(lines[1]).isEqualTo(pretty.replace('\r', ' ').replace('\n', ' '));
		assertThat(JSON.readTree(lines[1])).isEqualTo(JSON.readTree(pretty));
	}

	private void assertSameHistory(String code, UUID sessionId, String source) {
		for (String query : QUERIES) {
			Response admin = this.api.get(instance(code, sessionId) + "/history" + query);
			Response history = this.api.get("/sessions/" + code + "/history?sessionId=" + sessionId
					+ (query.isEmpty() ? "" : "&" + query.substring(1)));
			assertThat(admin.status()).as(query).isEqualTo(200);
			assertThat(history.status()).as(query).isEqualTo(200);
			assertThat(admin.json().get("source").asString()).isEqualTo(source);
			assertThat(admin.body()).as(query).isEqualTo(history.body());
			assertThat(admin.header("Content-Type")).isEqualTo(history.header("Content-Type"));
			assertThat(admin.header("Content-Length")).isEqualTo(history.header("Content-Length"));
			assertThat(admin.header("Cache-Control")).isEqualTo("no-store");
			assertThat(admin.header("ETag")).isNull();
		}
	}

	/** Both formats against the history's pages, walked forward from the first. */
	private void assertExport(String code, UUID sessionId, int count) {
		List<String> pages = new ArrayList<>();
		long after = 0;
		JsonNode page;
		do {
			Response response = this.api.get("/sessions/" + code + "/history?sessionId=" + sessionId + "&after=" + after);
			String messages = response.messagesText();
			page = response.json();
			if (!page.get("messages").isEmpty()) {
				pages.add(messages.substring(1, messages.length() - 1));
				after = seqs(page).get(seqs(page).size() - 1);
			}
		}
		while (page.get("hasMore").asBoolean());
		assertThat(pages.size()).as("pages").isGreaterThan((count > 0) ? 3 : -1);

		Response json = this.api.get(instance(code, sessionId) + "/export");
		assertThat(json.status()).isEqualTo(200);
		assertThat(json.header("Content-Type")).isEqualTo("application/json");
		assertThat(json.header("Content-Disposition"))
			.isEqualTo("attachment; filename=\"" + code + "-" + sessionId + ".json\"");
		assertThat(json.header("Cache-Control")).isEqualTo("no-store");
		assertThat(json.text()).isEqualTo("[" + String.join(",", pages) + "]");
		assertThat(JSON.readTree(json.body())).hasSize(count);

		Response ndjson = this.api.get(instance(code, sessionId) + "/export?format=ndjson");
		assertThat(ndjson.status()).isEqualTo(200);
		assertThat(ndjson.header("Content-Type")).isEqualTo("application/x-ndjson");
		assertThat(ndjson.header("Content-Disposition"))
			.isEqualTo("attachment; filename=\"" + code + "-" + sessionId + ".ndjson\"");
		String text = ndjson.text();
		List<String> lines = text.isEmpty() ? List.of() : List.of(text.substring(0, text.length() - 1).split("\n", -1));
		assertThat(text.isEmpty() || text.endsWith("\n")).isTrue();
		assertThat(lines).hasSize(count);
		assertThat("[" + String.join(",", lines) + "]").isEqualTo(json.text());
		for (int i = 0; i < lines.size(); i++) {
			assertThat(JSON.readTree(lines.get(i)).get("seq").asInt()).isEqualTo(i + 1);
		}
	}

	/** Messages of 100 to some 1900 bytes, a few to a page of 4 KiB. */
	private void append(String code, int count) {
		for (int i = 0; i < count; i++) {
			String body = "{\"id\":\"" + UUID.randomUUID() + "\",\"data\":\"" + "x".repeat((i * 337) % 1800) + "\"}";
			assertThat(this.api.append(code, body).status()).isEqualTo(201);
		}
	}

	private static String instance(String code, UUID sessionId) {
		return "/admin/api/gallery/sessions/" + code + "/" + sessionId;
	}

}
