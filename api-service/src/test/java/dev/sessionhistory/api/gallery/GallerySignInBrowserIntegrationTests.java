package dev.sessionhistory.api.gallery;

import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing in to the gallery with the identity provider in a real browser (headless
 * Chromium): the sign-in page's button for the provider, the provider's own login form,
 * and back, with the cookies, redirects and same-site rules of a browser. Each test saves
 * a screenshot of what the gallery showed the user.
 */
@RealServers
class GallerySignInBrowserIntegrationTests extends AbstractSignInIntegrationTests {

	private Browser browser;

	@BeforeEach
	void openBrowser() {
		this.browser = Browser.open(this.base);
	}

	@AfterEach
	void closeBrowser() {
		this.browser.close();
	}

	@Test
	void anAdminSignsInWithTheIdentityProviderSeesTheSessionsAndSignsOut() {
		String code = this.api.createSession("{}");
		signInWithTheProvider("alice");
		this.browser.await((driver) -> this.browser.path().equals("/admin/"));
		this.browser.awaitElement(By.id("results-title"));

		this.browser.go("/admin/?code=" + code);
		this.browser.awaitText(By.cssSelector("#sessions tbody td.code a"), code);
		this.browser.script("document.getElementById('results').scrollIntoView()");
		this.browser.screenshot("sign-in-idp-admin");

		this.browser.driver.findElement(By.cssSelector("#sign-out button")).click();
		this.browser.await((driver) -> this.browser.path().equals("/admin/sign-in?signed-out"));
		this.browser.go("/admin/");
		this.browser.await((driver) -> this.browser.path().equals("/admin/sign-in"));
	}

	@Test
	void somebodyWhoIsNoAdminIsSentBackToSignInSaidWhy() {
		signInWithTheProvider("bob");
		this.browser.await((driver) -> this.browser.path().equals("/admin/sign-in?error=not-admin"));
		assertThat(this.browser.awaitElement(By.id("message")).getText()).contains("not an admin");
		this.browser.screenshot("sign-in-idp-not-admin");

		// signed out of the gallery: it sends him to sign in again
		this.browser.go("/admin/");
		this.browser.await((driver) -> this.browser.path().equals("/admin/sign-in"));
	}

	/** From the gallery's sign-in page through the provider's login form as {@code user}. */
	private void signInWithTheProvider(String user) {
		this.browser.go("/admin/");
		this.browser.await((driver) -> this.browser.path().equals("/admin/sign-in"));
		this.browser.awaitElement(By.linkText("Sign in with " + CLIENT_NAME)).click();

		this.browser.await((driver) -> driver.getCurrentUrl().equals(idp.issuer() + "/login"));
		this.browser.awaitElement(By.name("username")).sendKeys(user);
		this.browser.driver.findElement(By.name("password")).sendKeys(IdentityProvider.PASSWORD);
		this.browser.driver.findElement(By.cssSelector("button[type=submit]")).click();
	}

}
