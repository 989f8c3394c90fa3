package dev.sessionhistory.api.gallery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One session in the gallery, in a real browser against the real API, Redis and
 * PostgreSQL: a 10,000-message session opens at once and scrolls to its end with every seq
 * in order, jumps to a seq and a time and finds text; a live session shows new messages and
 * switches to its archive without a reload; the exports are the history API's messages,
 * byte for byte.
 */
@RealServers
class GallerySessionBrowserIntegrationTests extends AbstractApiIntegrationTests {

	private static final int LARGE = 10_000;

	/** The first message of the large session was sent at this instant, each next one a second later. */
	private static final Instant FIRST_SENT = Instant.parse("2026-11-24T10:00:00Z");

	private Browser browser;

	@BeforeEach
	void openBrowser() {
		this.browser = Browser.open(this.port);
		this.browser.signInWithToken(TestTokens.admin());
		this.browser.awaitElement(By.id("results-title"));
	}

	@AfterEach
	void closeBrowser() {
		this.browser.close();
	}

	@Test
	void aTenThousandMessageSessionOpensAtOnceAndScrollsToItsEnd() {
		String code = "TENK" + UUID.randomUUID().toString().substring(0, 4).toUpperCase();
		UUID sessionId = archiveInPostgres(code, LARGE);
		this.browser.go("/admin/sessions/" + code + "/" + sessionId);
		this.browser.awaitElement(By.id("seq-1"));
		assertThat(this.browser.awaitText(By.id("source"), "archive")).isEqualTo("archive");
		assertThat(this.browser.driver.findElement(By.id("total")).getText()).isEqualTo("10,000");
		// opened with its first page only, not all of it
		assertThat(shownSeqs()).hasSizeLessThanOrEqualTo(500);
		this.browser.screenshot("session-view");

		this.browser.await((driver) -> {
			this.browser.script("window.scrollTo(0, document.body.scrollHeight)");
			return !driver.findElements(By.id("seq-" + LARGE)).isEmpty();
		});
		this.browser.awaitText(By.id("later"), "The end of the session (10,000 messages).");
		assertThat(shownSeqs()).containsExactlyElementsOf(LongStream.rangeClosed(1, LARGE).boxed().toList());
		this.browser.screenshot("session-scrolled-to-end");

		jump("jump-seq", "seq", "5000");
		this.browser.await((driver) -> hit().equals("5000"));
		assertThat(shownSeqs().get(0)).isEqualTo(5000L);
		// the seq before it is a click away
		this.browser.driver.findElement(By.id("load-earlier")).click();
		this.browser.await((driver) -> shownSeqs().get(0) == 4500L);

		jump("jump-time", "time", FIRST_SENT.plusSeconds(6999).toString());
		this.browser.await((driver) -> hit().equals("7000"));

		jump("find", "text", "needle-4321");
		WebElement found = this.browser.awaitElement(By.cssSelector("#hits ul.hits a"));
		assertThat(this.browser.texts(By.cssSelector("#hits ul.hits a"))).containsExactly("#4321");
		found.click();
		this.browser.await((driver) -> hit().equals("4321"));
		this.browser.screenshot("session-found-text");
	}

	@Test
	void aLiveSessionShowsNewMessagesAndSwitchesToItsArchiveWithoutAReload() {
		String code = this.api.createSession("{}");
		UUID sessionId = this.api.sessionId(code);
		for (int i = 1; i <= 3; i++) {
			assertThat(this.api.append(code, "{\"id\":\"m" + i + "\",\"type\":\"chat\",\"data\":{\"n\":" + i + "}}")
				.status()).isEqualTo(201);
		}
		this.browser.go("/admin/sessions/" + code + "/" + sessionId);
		this.browser.awaitElement(By.id("seq-3"));
		assertThat(this.browser.awaitText(By.id("source"), "live")).isEqualTo("live");
		this.browser.script("window.stillTheSamePage = true");

		assertThat(this.api.append(code, "{\"id\":\"m4\",\"data\":\"while you look\"}").status()).isEqualTo(201);
		this.browser.awaitElement(By.id("seq-4"));
		assertThat(this.api.post("/sessions/" + code + "/end").status()).isEqualTo(202);
		this.archiver.archive(code, sessionId);

		this.browser.awaitText(By.id("source"), "archive");
		this.browser.awaitText(By.cssSelector("#session-status .status"), "archived");
		assertThat(this.browser.script("return window.stillTheSamePage === true")).isEqualTo(true);
		assertThat(shownSeqs()).containsExactly(1L, 2L, 3L, 4L);
		this.browser.screenshot("session-live-to-archive");
	}

	@Test
	void theExportsAreTheHistoryApisMessagesByteForByte() throws Exception {
		String code = "EXP" + UUID.randomUUID().toString().substring(0, 5).toUpperCase();
		UUID sessionId = archiveInPostgres(code, 2_345);
		String expected = historyMessages(code, sessionId);

		this.browser.go("/admin/sessions/" + code + "/" + sessionId);
		this.browser.awaitElement(By.id("seq-1"));
		this.browser.driver.findElement(By.id("export-json")).click();
		Path json = awaitDownload(code + "-" + sessionId + ".json");
		assertThat(Files.readString(json, StandardCharsets.UTF_8)).isEqualTo(expected);

		this.browser.driver.findElement(By.id("export-ndjson")).click();
		Path ndjson = awaitDownload(code + "-" + sessionId + ".ndjson");
		List<String> lines = Files.readAllLines(ndjson, StandardCharsets.UTF_8);
		assertThat(lines).hasSize(2_345);
		assertThat("[" + String.join(",", lines) + "]").isEqualTo(expected);
		this.browser.screenshot("session-exported");

		// the audit log has the admin's read and export of it (two exports: one row a window)
		this.browser.go("/admin/");
		this.browser.driver.findElement(By.linkText("Audit log")).click();
		this.browser.awaitElement(By.cssSelector("#filters input[name=code]")).sendKeys(code);
		this.browser.driver.findElement(By.cssSelector("#filters button[type=submit]")).click();
		this.browser.awaitText(By.id("list-state"), "2 shown, the end of the log");
		assertThat(this.browser.texts(By.cssSelector("#audit tbody td:nth-child(3)"))).containsExactly("export", "read");
		assertThat(this.browser.texts(By.cssSelector("#audit tbody td:nth-child(2)"))).containsOnly("admin-1");
		this.browser.screenshot("audit-log");
	}

	@Test
	void aLongCodeAndA16KibMessageKeepThePageWholeAndTheKeyboardGetsEverywhere() {
		String code = ("W" + UUID.randomUUID().toString().replace("-", "").toUpperCase()).repeat(2).substring(0, 64);
		assertThat(this.api.postJson("/sessions", "{\"code\":\"" + code + "\"}").status()).isEqualTo(201);
		UUID sessionId = this.api.sessionId(code);
		String unbroken = "x".repeat(16_000);
		assertThat(this.api.append(code, "{\"id\":\"big\",\"sender\":\"" + "s".repeat(200) + "\",\"data\":\""
				+ unbroken + "\"}").status()).isEqualTo(201);

		// from the list, by keyboard alone: tab to the session's link, open it
		this.browser.go("/admin/?code=" + code);
		WebElement link = this.browser.awaitElement(By.cssSelector("#sessions tbody td.code a"));
		for (int i = 0; i < 60 && !link.equals(this.browser.driver.switchTo().activeElement()); i++) {
			this.browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
		}
		assertThat(this.browser.driver.switchTo().activeElement()).isEqualTo(link);
		link.sendKeys(Keys.ENTER);
		this.browser.awaitElement(By.id("seq-1"));
		assertThat(this.browser.path()).isEqualTo("/admin/sessions/" + code + "/" + sessionId);
		// long data is folded, and opens with the keyboard too
		WebElement summary = this.browser.driver.findElement(By.cssSelector("#seq-1 summary"));
		assertThat(this.browser.driver.findElement(By.cssSelector("#seq-1 details")).getAttribute("open")).isNull();
		summary.sendKeys(Keys.ENTER);
		this.browser.await((driver) -> driver.findElement(By.cssSelector("#seq-1 details")).getAttribute("open") != null);
		assertNoSidewaysScroll();
		this.browser.screenshot("session-long-code-and-message");
		this.browser.driver.manage().window().setSize(new Dimension(390, 844));
		this.browser.go("/admin/sessions/" + code + "/" + sessionId);
		this.browser.awaitElement(By.id("seq-1"));
		assertNoSidewaysScroll();
		this.browser.screenshot("session-phone");
	}

	private void assertNoSidewaysScroll() {
		assertThat((Long) this.browser.script("return document.documentElement.scrollWidth - window.innerWidth"))
			.isLessThanOrEqualTo(0L);
	}

	/** The seq the last jump or search landed on. */
	private String hit() {
		List<WebElement> hits = this.browser.driver.findElements(By.cssSelector("ol.timeline > li.hit"));
		return hits.isEmpty() ? "" : hits.get(hits.size() - 1).getAttribute("data-seq");
	}

	private void jump(String form, String field, String value) {
		this.browser.driver.findElements(By.cssSelector("ol.timeline > li.hit"))
			.forEach((element) -> this.browser.script("arguments[0].classList.remove('hit')", element));
		WebElement input = this.browser.driver.findElement(By.cssSelector("#" + form + " input[name=" + field + "]"));
		input.clear();
		input.sendKeys(value);
		this.browser.driver.findElement(By.cssSelector("#" + form + " button[type=submit]")).click();
	}

	private List<Long> shownSeqs() {
		List<Long> seqs = new ArrayList<>();
		for (Object seq : (List<?>) this.browser
			.script("return Array.from(document.querySelectorAll('#timeline > li'), (li) => li.dataset.seq)")) {
			seqs.add(Long.parseLong((String) seq));
		}
		return seqs;
	}

	/** Every message of the instance by the history API, as the JSON array of their bytes. */
	private String historyMessages(String code, UUID sessionId) {
		List<String> pages = new ArrayList<>();
		long after = 0;
		while (true) {
			Response page = this.api
				.get("/sessions/" + code + "/history?limit=1000&after=" + after + "&sessionId=" + sessionId);
			assertThat(page.status()).as(page.text()).isEqualTo(200);
			String messages = page.messagesText();
			if (messages.length() > 2) {
				pages.add(messages.substring(1, messages.length() - 1));
			}
			if (!page.json().get("hasMore").asBoolean()) {
				return "[" + String.join(",", pages) + "]";
			}
			var all = page.json().get("messages");
			after = all.get(all.size() - 1).get("seq").asLong();
		}
	}

	private Path awaitDownload(String name) {
		Path file = this.browser.downloads.resolve(name);
		this.browser.await((driver) -> {
			try (Stream<Path> files = Files.list(this.browser.downloads)) {
				// done when the file is there and no partial download is left
				return Files.exists(file) && files.noneMatch((path) -> path.toString().endsWith(".crdownload"));
			}
			catch (IOException ex) {
				return false;
			}
		});
		return file;
	}

	/**
	 * An archived instance of {@code count} messages, made by PostgreSQL in chunks of 128 as
	 * the archiver cuts them: senders, types, a sentAt a second apart from
	 * {@link #FIRST_SENT}, text in some (one {@code needle-4321}), non-ASCII in others.
	 */
	private UUID archiveInPostgres(String code, int count) {
		UUID sessionId = UUID.randomUUID();
		this.jdbc.sql("""
				WITH archived AS (
				    INSERT INTO session_history (session_id, session_code, message_count, message_bytes, created_at,
				        ended_at, end_reason, archived_at)
				    VALUES (?, ?, ?, 0, now() - interval '3 hours', now() - interval '1 hour', 'ended', now())
				    RETURNING session_id
				),
				message AS (
				    SELECT s AS seq, format('{"seq":%s,"id":"m%s","sentAt":"%s","sender":"user-%s","type":"%s","data":{"text":%s,"n":%s}}',
				        s, s, to_char((?::timestamptz + (s - 1) * interval '1 second') AT TIME ZONE 'UTC',
				            'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
				        s % 7, CASE WHEN s % 10 = 0 THEN 'reaction' ELSE 'chat' END,
				        to_json(CASE WHEN s = 4321 THEN 'the needle-4321 is here'
				            WHEN s % 3 = 0 THEN 'grüße ' || s ELSE 'message ' || s END), s) AS body
				    FROM generate_series(1, ?) AS s
				)
				INSERT INTO session_history_chunk (session_id, first_seq, last_seq, messages_raw)
				SELECT archived.session_id, min(seq), max(seq), ('[' || string_agg(body, ',' ORDER BY seq) || ']')::json
				FROM archived, message
				GROUP BY archived.session_id, (seq - 1) / 128
				""").params(sessionId, code, count, FIRST_SENT.toString(), count).update();
		this.jdbc.sql("""
				UPDATE session_history SET message_bytes = (SELECT sum(octet_length(messages_raw::text))
				    FROM session_history_chunk WHERE session_id = ?) WHERE session_id = ?
				""").params(sessionId, sessionId).update();
		return sessionId;
	}

}
