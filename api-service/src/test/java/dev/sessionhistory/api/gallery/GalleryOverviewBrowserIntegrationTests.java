package dev.sessionhistory.api.gallery;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gallery's overview in a real browser: the sessions and messages archived on each of
 * the last 30 days, the sessions live and waiting in Redis, as the database and Redis hold
 * them (this class has a database and a key prefix of its own, so nothing else is counted).
 */
@RealServers
class GalleryOverviewBrowserIntegrationTests extends AbstractApiIntegrationTests {

	@Test
	void theOverviewShowsWhatTheDatabaseAndRedisHold() {
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		// a few archives on most of the last 36 days (from 0 to 5 a day), of 1 to 50 messages
		List<int[]> archives = new java.util.ArrayList<>();
		for (int day = 0; day < 36; day++) {
			for (int i = 0; i < (day * 37 + 3) % 6; i++) {
				archives.add(new int[] { day, (day * 13 + i * 7) % 50 + 1 });
			}
		}
		for (int[] archive : archives) {
			// archived at noon (UTC) of its day, or now if that is later than now
			this.jdbc.sql("""
					INSERT INTO session_history (session_id, session_code, message_count, message_bytes, created_at,
					    ended_at, end_reason, archived_at)
					SELECT ?, ?, ?, ?, stamp - interval '2 hours', stamp - interval '1 hour', 'ended', stamp
					FROM (SELECT least((?::date + interval '12 hours') AT TIME ZONE 'UTC', now()) AS stamp) AS archived
					""")
				.params(UUID.randomUUID(), code(), archive[1], archive[1] * 180L,
						today.minusDays(archive[0]).toString())
				.update();
		}
		this.api.as(TestTokens.user("auth0|maths-teacher")).createSession("{\"code\":\"" + code() + "\"}");
		this.api.as(TestTokens.user("auth0|display-42")).createSession("{\"code\":\"" + code() + "\"}");
		String ended = this.api.createSession("{}");
		assertThat(this.api.post("/sessions/" + ended + "/end").status()).isEqualTo(202);

		Map<String, long[]> expected = new HashMap<>();
		this.jdbc.sql("""
				SELECT (archived_at AT TIME ZONE 'UTC')::date::text AS day, count(*) AS sessions,
				    sum(message_count) AS messages
				FROM session_history
				WHERE archived_at >= (now() AT TIME ZONE 'UTC')::date - 29
				GROUP BY 1
				""")
			.query((row, n) -> expected.put(row.getString("day"),
					new long[] { row.getLong("sessions"), row.getLong("messages") }))
			.list();
		long daysWithArchives = archives.stream().filter((archive) -> archive[0] < 30).map((archive) -> archive[0]).distinct().count();
		assertThat(expected).hasSize((int) daysWithArchives); // none older than 29 days

		try (Browser browser = Browser.open(this.port)) {
			browser.signInWithToken(TestTokens.admin());
			browser.awaitElement(By.cssSelector("#chart-sessions rect"));
			assertThat(browser.awaitText(By.id("overview-live"), "2")).isEqualTo("2");
			assertThat(browser.driver.findElement(By.id("overview-waiting")).getText()).isEqualTo("1");
			assertThat(browser.driver.findElement(By.id("overview-today")).getText())
				.isEqualTo(String.valueOf(expected.get(today.toString())[0]));
			assertBars(browser.driver.findElements(By.cssSelector("#chart-sessions rect")), expected, 0, today);
			assertBars(browser.driver.findElements(By.cssSelector("#chart-messages rect")), expected, 1, today);
			browser.pageScreenshot("overview");
			// what the README shows: the overview, the filters and the first sessions
			browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1250));
			browser.screenshot("gallery-list");
		}
	}

	/** A code as the generated ones look: six of the unambiguous capitals and digits. */
	private static String code() {
		String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
		StringBuilder code = new StringBuilder();
		java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
		for (int i = 0; i < 6; i++) {
			code.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		return code.toString();
	}

	/** One bar per day, oldest first, each as high as the database's figure for its day. */
	private static void assertBars(List<WebElement> bars, Map<String, long[]> expected, int figure, LocalDate today) {
		assertThat(bars).hasSize(30);
		for (int i = 0; i < 30; i++) {
			String day = today.minusDays(29 - i).toString();
			long[] figures = expected.get(day);
			assertThat(bars.get(i).getAttribute("data-day")).isEqualTo(day);
			assertThat(bars.get(i).getAttribute("data-value")).as(day)
				.isEqualTo(String.valueOf((figures != null) ? figures[figure] : 0));
		}
	}

}
