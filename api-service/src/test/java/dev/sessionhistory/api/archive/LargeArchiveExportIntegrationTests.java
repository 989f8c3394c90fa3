package dev.sessionhistory.api.archive;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The gallery's export of a large archive (10,000 messages of 16 KiB, 160 MiB, some 160
 * history pages of 1 MB) is streamed as it is read: its first bytes come while the API has
 * read a small part of the archive, the API reads no further than the client takes, and
 * the whole is byte for byte the history's pages joined. An export whose archive fails
 * midway ends without the end of its body.
 */
@RealServers
class LargeArchiveExportIntegrationTests extends AbstractApiIntegrationTests {

	private static final int COUNT = 10_000;

	private static final int MESSAGE_BYTES = 16 * 1024;

	private static final long ARCHIVE_BYTES = (long) COUNT * MESSAGE_BYTES;

	/** What a stalled client lets the API read ahead at most: a tenth of the archive. */
	private static final long READ_AHEAD = ARCHIVE_BYTES / 10;

	private static final int MEBIBYTE = 1024 * 1024;

	@Autowired
	ArchiveCache store;

	@Test
	void a160MebibyteArchiveIsStreamedAsItIsReadAndIsTheHistorysPagesJoined() throws Exception {
		UUID sessionId = UUID.randomUUID();
		LargeArchive.insert(this.jdbc, sessionId, "LARGE", COUNT, MESSAGE_BYTES, 16);
		long before = this.store.fetchedBytes();

		HttpResponse<InputStream> export = this.api.open(export("LARGE", sessionId));
		assertThat(export.statusCode()).isEqualTo(200);
		assertThat(export.headers().firstValue("Content-Length")).isEmpty();
		assertThat(export.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
		MessageDigest exported = MessageDigest.getInstance("SHA-256");
		long length;
		try (InputStream body = export.body()) {
			byte[] start = body.readNBytes(MEBIBYTE);
			assertThat(new String(start, 0, 9, StandardCharsets.US_ASCII)).isEqualTo("[{\"seq\":1");
			// the client takes no more: the API stops reading, short of the archive
			await().during(Duration.ofSeconds(1))
				.atMost(Duration.ofSeconds(10))
				.until(() -> this.store.fetchedBytes() - before < READ_AHEAD);
			exported.update(start);
			length = start.length + digest(body, exported);
		}
		assertThat(length).isEqualTo(2 + ARCHIVE_BYTES + COUNT - 1);
		assertThat(this.store.fetchedBytes() - before).as("the whole archive, read once")
			.isBetween(ARCHIVE_BYTES, ARCHIVE_BYTES * 11 / 10);
		assertThat(hex(exported)).isEqualTo(historyPagesJoined(sessionId));
	}

	@Test
	void anExportWhoseArchiveFailsMidwayEndsWithoutTheEndOfItsBody() throws IOException {
		for (String format : new String[] { "json", "ndjson" }) {
			UUID sessionId = UUID.randomUUID();
			LargeArchive.insert(this.jdbc, sessionId, "BROKEN", 2_000, MESSAGE_BYTES, 16);
			HttpResponse<InputStream> export = this.api.open(export("BROKEN", sessionId) + "?format=" + format);
			assertThat(export.statusCode()).isEqualTo(200);
			try (InputStream body = export.body()) {
				assertThat(body.readNBytes(MEBIBYTE)).hasSize(MEBIBYTE);
				// erased while the API waits for the client: its next page cannot be read
				assertThat(this.jdbc.sql("DELETE FROM session_history WHERE session_id = ?").param(sessionId).update())
					.isEqualTo(1);
				assertThatExceptionOfType(IOException.class).as(format).isThrownBy(body::readAllBytes);
			}
		}
	}

	/** The SHA-256 of the {@code messages} of the history's pages, joined with commas, in brackets. */
	private String historyPagesJoined(UUID sessionId) throws NoSuchAlgorithmException {
		MessageDigest joined = MessageDigest.getInstance("SHA-256");
		joined.update((byte) '[');
		long after = 0;
		int pages = 0;
		JsonNode page;
		do {
			Response response = this.api.get("/sessions/LARGE/history?sessionId=" + sessionId + "&after=" + after);
			String messages = response.messagesText();
			if (after > 0) {
				joined.update((byte) ',');
			}
			joined.update(messages.substring(1, messages.length() - 1).getBytes(StandardCharsets.UTF_8));
			page = response.json();
			after = seqs(page).get(seqs(page).size() - 1);
			pages++;
		}
		while (page.get("hasMore").asBoolean());
		joined.update((byte) ']');
		assertThat(pages).isGreaterThan(150);
		return hex(joined);
	}

	private static long digest(InputStream body, MessageDigest digest) throws IOException {
		byte[] buffer = new byte[64 * 1024];
		long length = 0;
		for (int read = body.read(buffer); read >= 0; read = body.read(buffer)) {
			digest.update(buffer, 0, read);
			length += read;
		}
		return length;
	}

	private static String hex(MessageDigest digest) {
		return HexFormat.of().formatHex(digest.digest());
	}

	private static String export(String code, UUID sessionId) {
		return "/admin/api/gallery/sessions/" + code + "/" + sessionId + "/export";
	}

}
