package dev.sessionhistory.api.gallery;

import java.time.Instant;
import java.util.List;
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

/**
 * The Session Gallery in a real browser (headless Chromium), against the real API, Redis
 * and PostgreSQL: who gets in, and finding sessions by each filter of the page. Each test
 * saves a screenshot of where it ended.
 */
@RealServers
class GalleryBrowserIntegrationTests extends AbstractApiIntegrationTests {

	private Browser browser;

	private String prefix;

	@BeforeEach
	void openBrowser() {
		this.browser = Browser.open(this.port);
		this.prefix = "B" + UUID.randomUUID().toString().substring(0, 5).toUpperCase().replace('-', 'X');
	}

	@AfterEach
	void closeBrowser() {
		this.browser.close();
	}

	@Test
	void anAdminSignsInWithTheLinkOfRunSh() {
		this.browser.signInWithToken(TestTokens.admin());
		this.browser.awaitElement(By.id("results-title"));
		assertThat(this.browser.path()).isEqualTo("/admin/");
		// the token was taken off the address before it was posted
		assertThat(this.browser.driver.getCurrentUrl()).doesNotContain("token");
		awaitListEnd();
		this.browser.screenshot("sign-in-admin");
	}

	@Test
	void aUserWhoIsNoAdminIsNotLetIn() {
		this.browser.signInWithToken(TestTokens.user("user-" + UUID.randomUUID()));
		this.browser.await((driver) -> this.browser.path().startsWith("/admin/sign-in?error=not-admin"));
		assertThat(this.browser.awaitElement(By.id("message")).getText()).contains("not an admin");
		this.browser.go("/admin/");
		this.browser.await((driver) -> this.browser.path().equals("/admin/sign-in"));
		this.browser.screenshot("sign-in-user-refused");
	}

	@Test
	void anAnonymousVisitorIsSentToSignIn() {
		this.browser.go("/admin/?code=ANY");
		this.browser.await((driver) -> this.browser.path().equals("/admin/sign-in"));
		this.browser.go("/admin/sessions/ANY/" + UUID.randomUUID());
		this.browser.await((driver) -> this.browser.path().equals("/admin/sign-in"));
		this.browser.awaitElement(By.id("token"));
		this.browser.screenshot("sign-in-anonymous");
	}

	@Test
	void aForgedTokenIsRefused() {
		this.browser.signInWithToken(TestTokens.sign("another-identity-provider-secret-of-32-bytes",
				new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("mallory")
					.claim("app_metadata", java.util.Map.of("role", "admin")),
				Instant.now().plusSeconds(600)));
		this.browser.await((driver) -> this.browser.path().startsWith("/admin/sign-in?error=token-refused"));
		this.browser.go("/admin/");
		this.browser.await((driver) -> this.browser.path().equals("/admin/sign-in"));
	}

	@Test
	void eachFilterFindsItsSessions() throws Exception {
		String aliceId = "auth0|alice/" + UUID.randomUUID();
		ApiClient alice = this.api.as(TestTokens.user(aliceId));
		String small = archived(alice, code("A1"), 1);
		Thread.sleep(5);
		String big = archived(this.api, code("A2"), 12);
		Instant between = Instant.now();
		Thread.sleep(5);
		String expired = archived(this.api, code("A3"), 2);
		this.jdbc.sql("UPDATE session_history SET end_reason = 'expired' WHERE session_code = ?").param(expired).update();
		String waiting = this.api.createSession("{\"code\":\"" + code("E1") + "\"}");
		assertThat(this.api.post("/sessions/" + waiting + "/end").status()).isEqualTo(202);
		String live = alice.createSession("{\"code\":\"" + code("L1") + "\"}");
		assertThat(alice.append(live, "{\"id\":\"m\",\"data\":1}").status()).isEqualTo(201);

		this.browser.signInWithToken(TestTokens.admin());
		this.browser.awaitElement(By.id("results-title"));
		// the form puts the filters in the address
		WebElement form = this.browser.awaitElement(By.id("filters"));
		form.findElement(By.name("codePrefix")).sendKeys(this.prefix);
		form.findElement(By.cssSelector("button[type=submit]")).click();
		this.browser.await((driver) -> this.browser.path().equals("/admin/?codePrefix=" + this.prefix));
		awaitListEnd();
		assertThat(listedCodes()).containsExactly(live, waiting, expired, big, small);
		assertThat(this.browser.driver.findElement(By.id("result-count")).getText()).isEqualTo("(3 archived)");
		this.browser.pageScreenshot("find-by-code-prefix");

		String all = "codePrefix=" + this.prefix;
		assertThat(find("code=" + big)).containsExactly(big);
		assertThat(find(all + "&status=live")).containsExactly(live);
		assertThat(find(all + "&status=ended")).containsExactly(waiting);
		assertThat(find(all + "&status=archived")).containsExactly(expired, big, small);
		assertThat(find(all + "&userId=" + aliceId.replace("|", "%7C"))).containsExactly(live, small);
		assertThat(find(all + "&endReason=expired")).containsExactly(expired);
		assertThat(find(all + "&minMessages=10")).containsExactly(big);
		assertThat(find(all + "&maxMessages=1")).containsExactly(live, waiting, small);
		assertThat(find(all + "&createdBefore=" + between)).containsExactly(big, small);
		assertThat(find(all + "&createdAfter=" + between)).containsExactly(live, waiting, expired);
		assertThat(find(all + "&endedBefore=" + between)).containsExactly(big, small);
		assertThat(find(all + "&endedAfter=" + between)).containsExactly(waiting, expired);
		// the filters of the address are in the form again, as bookmarked
		assertThat(this.browser.driver.findElement(By.name("endedAfter")).getAttribute("value"))
			.isEqualTo(between.toString());

		// a bad filter is said plainly, not a broken page
		this.browser.go("/admin/?minMessages=lots");
		assertThat(this.browser.awaitElement(By.id("list-problem")).getText()).startsWith("400:").contains("minMessages");
		this.browser.screenshot("find-bad-filter");
	}

	@Test
	void aLongCodeAndPagingKeepThePageWhole() {
		String longCode = (this.prefix + "L".repeat(64)).substring(0, 64);
		archived(this.api, longCode, 1);
		for (int i = 0; i < 3; i++) {
			archived(this.api, code("P" + i), 1);
		}
		this.browser.signInWithToken(TestTokens.admin());
		this.browser.awaitElement(By.id("results-title"));
		this.browser.go("/admin/?status=archived&codePrefix=" + this.prefix);
		awaitListEnd();
		assertThat(listedCodes()).hasSize(4).contains(longCode);
		// the page never scrolls sideways: the long code wraps in its cell
		assertThat((Long) this.browser.script("return document.documentElement.scrollWidth - window.innerWidth"))
			.isLessThanOrEqualTo(0L);
		this.browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
		this.browser.go("/admin/?status=archived&codePrefix=" + this.prefix);
		awaitListEnd();
		assertThat((Long) this.browser.script("return document.body.scrollWidth - window.innerWidth"))
			.isLessThanOrEqualTo(0L);
		this.browser.screenshot("list-phone");
	}

	private String code(String suffix) {
		return this.prefix + suffix;
	}

	/** The codes the page lists for the filters, all pages of them. */
	private List<String> find(String query) {
		this.browser.go("/admin/?" + query);
		awaitListEnd();
		return listedCodes();
	}

	private void awaitListEnd() {
		this.browser.await((driver) -> {
			WebElement more = driver.findElement(By.id("more"));
			if (more.isDisplayed() && more.isEnabled()) {
				more.click();
			}
			return driver.findElement(By.id("list-state")).getText().endsWith("the end of the list");
		});
	}

	private List<String> listedCodes() {
		return this.browser.texts(By.cssSelector("#sessions tbody td.code a"));
	}

	/** A session with {@code messages} messages, ended and archived. */
	private String archived(ApiClient creator, String code, int messages) {
		assertThat(creator.postJson("/sessions", "{\"code\":\"" + code + "\"}").status()).isEqualTo(201);
		UUID sessionId = this.api.sessionId(code);
		for (int i = 0; i < messages; i++) {
			assertThat(this.api.append(code, "{\"id\":\"m" + i + "\",\"data\":" + i + "}").status()).isEqualTo(201);
		}
		assertThat(this.api.post("/sessions/" + code + "/end").status()).isEqualTo(202);
		this.archiver.archive(code, sessionId);
		return code;
	}

}
