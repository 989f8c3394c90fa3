package dev.sessionhistory.api.gallery;

import java.time.Duration;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Erasing a session from its page in the gallery, in a real browser against the real API,
 * Redis and PostgreSQL: the Erase button asks first (Cancel sends nothing), a refused
 * erasure shows the API's problem, a confirmed one empties the page and leaves nothing of
 * the session behind; the erasures page lists it with who erased it and why. Each test
 * saves screenshots of its steps.
 */
@RealServers
class GalleryErasureBrowserIntegrationTests extends AbstractApiIntegrationTests {

	/** The admin the browser signs in as ({@link TestTokens#admin()}). */
	private static final String ADMIN = "admin-1";

	private Browser browser;

	private String ownerId;

	private ApiClient owner;

	@BeforeEach
	void openBrowser() {
		this.ownerId = "owner-" + UUID.randomUUID();
		this.owner = this.api.as(TestTokens.user(this.ownerId));
		this.browser = Browser.open(this.port);
		this.browser.signInWithToken(TestTokens.admin());
		this.browser.awaitElement(By.id("results-title"));
	}

	@AfterEach
	void closeBrowser() {
		this.browser.close();
	}

	@Test
	void anAdminErasesAnArchivedSessionFromItsPageAndTheErasuresPageListsIt() {
		String code = this.owner.createSession("{}");
		UUID sessionId = this.owner.sessionId(code);
		for (int i = 1; i <= 3; i++) {
			assertThat(this.owner.append(code, "{\"id\":\"m" + i + "\",\"data\":\"private " + i + "\"}").status())
				.isEqualTo(201);
		}
		assertThat(this.owner.post("/sessions/" + code + "/end").status()).isEqualTo(202);
		this.archiver.archive(code, sessionId);
		String history = "/sessions/" + code + "/history?sessionId=" + sessionId;

		this.browser.go("/admin/sessions/" + code + "/" + sessionId);
		this.browser.awaitElement(By.id("seq-3"));
		this.browser.awaitText(By.id("source"), "archive");

		// Cancel sends nothing
		this.browser.awaitElement(By.id("erase")).click();
		this.browser.awaitElement(By.id("erase-cancel")).click();
		this.browser.await((driver) -> !driver.findElement(By.id("erase-dialog")).isDisplayed());
		assertThat(this.api.get(history).status()).isEqualTo(200);

		// a reason the API refuses (more than 1000 bytes): its problem is shown, nothing erased
		this.browser.driver.findElement(By.id("erase")).click();
		this.browser.awaitElement(By.id("erase-reason")).sendKeys("ü".repeat(600));
		this.browser.driver.findElement(By.id("erase-confirm")).click();
		assertThat(this.browser.awaitElement(By.id("session-problem")).getText()).startsWith("400: ")
			.contains("'reason' must be at most 1000 bytes");
		assertThat(this.api.get(history).status()).isEqualTo(200);
		assertThat(this.browser.driver.findElements(By.cssSelector("#timeline > li"))).hasSize(3);

		this.browser.driver.findElement(By.id("erase")).click();
		WebElement reason = this.browser.awaitElement(By.id("erase-reason"));
		assertThat(reason.getAttribute("value")).isEmpty();
		reason.sendKeys("asked by the owner, ticket 42");
		this.browser.screenshot("session-erase-confirm");
		this.browser.driver.findElement(By.id("erase-confirm")).click();

		assertThat(this.browser.awaitElement(By.id("erased")).getText()).startsWith("Erased");
		this.browser.awaitText(By.cssSelector("#session-status .status"), "erased");
		assertThat(this.browser.driver.findElement(By.id("session-problem")).getText()).isEmpty();
		assertThat(this.browser.driver.findElement(By.id("timeline-section")).isDisplayed()).isFalse();
		assertThat(this.browser.driver.findElements(By.cssSelector("#timeline > li"))).isEmpty();
		assertThat(this.browser.driver.findElement(By.id("session-meta")).getText()).doesNotContain(this.ownerId)
			.contains("asked by the owner, ticket 42");
		this.browser.screenshot("session-erased");

		assertThat(this.api.get(history).status()).isEqualTo(404);
		assertThat(this.owner.get(history).status()).isEqualTo(404);
		assertThat(this.jdbc.sql("SELECT count(*) FROM session_history WHERE session_id = ?")
			.param(sessionId)
			.query(Integer.class)
			.single()).isZero();

		// the erasure log, from the page's link: filtered by the code
		this.browser.driver.findElement(By.linkText("See the erasure log")).click();
		this.browser.awaitText(By.id("list-state"), "1 shown, the end of the log");
		assertThat(this.browser.path()).isEqualTo("/admin/erasures?code=" + code);
		assertThat(cells(2)).isEqualTo(ADMIN);
		assertThat(cells(3)).isEqualTo("session");
		assertThat(cells(4)).contains(code).contains(sessionId.toString());
		assertThat(cells(5)).isEqualTo(this.ownerId);
		assertThat(cells(7)).isEqualTo("archived");
		assertThat(cells(8)).isEqualTo("asked by the owner, ticket 42");
		assertThat(this.browser.driver.findElement(By.id("erasures")).getText()).doesNotContain("private");
		this.browser.screenshot("erasures-log");
	}

	@Test
	void aLiveSessionIsErasedFromItsPageAndItsPollingStops() {
		String code = this.owner.createSession("{}");
		UUID sessionId = this.owner.sessionId(code);
		for (int i = 1; i <= 2; i++) {
			assertThat(this.owner.append(code, "{\"id\":\"m" + i + "\",\"data\":" + i + "}").status()).isEqualTo(201);
		}
		this.browser.go("/admin/sessions/" + code + "/" + sessionId);
		this.browser.awaitElement(By.id("seq-2"));
		this.browser.awaitText(By.id("source"), "live");

		this.browser.driver.findElement(By.id("erase")).click();
		this.browser.awaitElement(By.id("erase-confirm")).click();
		this.browser.awaitElement(By.id("erased"));
		this.browser.awaitText(By.cssSelector("#session-status .status"), "erased");
		// the page polled every 2 s while live: it stops, and no 404 of the gone session shows up
		await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).until(() -> this.browser.driver
			.findElement(By.id("session-problem"))
			.getText()
			.isEmpty()
				&& this.browser.driver.findElement(By.id("timeline-problem")).getText().isEmpty());
		this.browser.screenshot("session-live-erased");

		assertThat(this.owner.get("/sessions/" + code).status()).isEqualTo(404);
		assertThat(this.api.get("/sessions/" + code + "/history?sessionId=" + sessionId).status()).isEqualTo(404);
		assertThat(this.redis.hasKey(this.keys.meta(code, sessionId))).isFalse();
		assertThat(this.redis.hasKey(this.keys.messages(code, sessionId))).isFalse();

		// the erasures page, from the header, filtered by who erased and whose data it was
		this.browser.driver.findElement(By.linkText("Erasures")).click();
		this.browser.awaitElement(By.cssSelector("#filters input[name=erasedBy]")).sendKeys(ADMIN);
		this.browser.driver.findElement(By.cssSelector("#filters input[name=userId]")).sendKeys(this.ownerId);
		this.browser.driver.findElement(By.cssSelector("#filters button[type=submit]")).click();
		this.browser.awaitText(By.id("list-state"), "1 shown, the end of the log");
		assertThat(cells(4)).contains(code);
		assertThat(cells(7)).isEqualTo("live");
		assertThat(cells(8)).isEqualTo("–");
		this.browser.screenshot("erasures-filtered");
	}

	/** The text of the first row's cell in the column, 1 for the first. */
	private String cells(int column) {
		return this.browser.driver.findElement(By.cssSelector("#erasures tbody tr:first-child td:nth-child(" + column + ")"))
			.getText();
	}

}
