package dev.sessionhistory.api.gallery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.model.Tombstones;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's data in the gallery, in a real browser against the real API, Redis and
 * PostgreSQL: the list filtered by a user shows the user's panel; its export downloads
 * everything of the user's (all of the sessions they own, their own messages in the one
 * they joined), its erasure asks first (Cancel and Escape send nothing), then shows what it
 * erased and lists the sessions again without the user's; the joined archive keeps its
 * seqs with tombstones at the user's, and the erasures page has the user's row with its
 * reason. Screenshots of each step, at 1280 and 390 px.
 */
@RealServers
class GalleryUserDataBrowserIntegrationTests extends AbstractApiIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** The admin the browser signs in as ({@link TestTokens#admin()}). */
	private static final String ADMIN = "admin-1";

	/** Opaque, with characters the address must encode. */
	private final String userId = "auth0|user/" + UUID.randomUUID();

	private final String otherId = "other-" + UUID.randomUUID();

	private ApiClient user;

	private ApiClient other;

	private Browser browser;

	@BeforeEach
	void openBrowser() {
		this.user = this.api.as(TestTokens.user(this.userId));
		this.other = this.api.as(TestTokens.user(this.otherId));
		this.browser = Browser.open(this.port);
		this.browser.signInWithToken(TestTokens.admin());
		this.browser.awaitElement(By.id("results-title"));
	}

	@AfterEach
	void closeBrowser() {
		this.browser.close();
	}

	@Test
	void anAdminExportsAUsersDataThenErasesTheUserFromTheListFilteredByThem() throws IOException {
		Session ownedLive = create(this.user);
		append(ownedLive, this.user, "live", 2);
		Session ownedArchived = create(this.user);
		append(ownedArchived, this.user, "archived", 3);
		archive(ownedArchived);
		Session joined = create(this.other);
		join(joined);
		// every third message of the joined session is the user's: seqs 3, 6 and 9
		Map<Long, String> authors = new LinkedHashMap<>();
		for (int i = 1; i <= 9; i++) {
			ApiClient author = (i % 3 == 0) ? this.user : this.other;
			assertThat(author.append(joined.code(), message("joined-" + i)).status()).isEqualTo(201);
			authors.put((long) i, (author == this.user) ? this.userId : this.otherId);
		}
		archive(joined);
		Map<Long, String> joinedBefore = messages(joined);
		String filtered = "/admin/?userId=" + this.userId.replace("|", "%7C").replace("/", "%2F");

		this.browser.go(filtered);
		awaitListEnd();
		assertThat(listedCodes()).containsExactlyInAnyOrder(ownedLive.code(), ownedArchived.code(), joined.code());
		assertThat(this.browser.awaitElement(By.id("user-id")).getText()).isEqualTo(this.userId);
		this.browser.pageScreenshot("user-panel");

		// the export: a plain link, which the session cookie authenticates
		this.browser.driver.findElement(By.id("export-user")).click();
		List<JsonNode> lines = Files.readAllLines(awaitDownload("user-data.ndjson"), StandardCharsets.UTF_8)
			.stream()
			.map(JSON::readTree)
			.toList();
		assertThat(lines.get(0).get("type").asString()).isEqualTo("user");
		assertThat(lines.get(0).get("userId").asString()).isEqualTo(this.userId);
		assertThat(lines.stream()
			.filter((line) -> "session".equals(line.get("type").asString()))
			.map((line) -> line.get("sessionId").asString() + " " + line.get("role").asString() + " "
					+ line.get("where").asString()))
			.containsExactlyInAnyOrder(ownedLive.sessionId() + " owner live", ownedArchived.sessionId() + " owner archived",
					joined.sessionId() + " participant archived");
		assertThat(lines.stream()
			.filter((line) -> "message".equals(line.get("type").asString()))
			.map((line) -> line.get("sessionId").asString() + " " + line.get("seq").asLong() + " "
					+ line.get("message").get("id").asString()))
			.containsExactlyInAnyOrder(ownedLive.sessionId() + " 1 live-1", ownedLive.sessionId() + " 2 live-2",
					ownedArchived.sessionId() + " 1 archived-1", ownedArchived.sessionId() + " 2 archived-2",
					ownedArchived.sessionId() + " 3 archived-3", joined.sessionId() + " 3 joined-3",
					joined.sessionId() + " 6 joined-6", joined.sessionId() + " 9 joined-9");

		// on a phone, by keyboard: the panel fits, the dialog opens with Enter and Escape sends nothing
		this.browser.driver.manage().window().setSize(new Dimension(390, 844));
		this.browser.go(filtered);
		awaitListEnd();
		assertNoSidewaysScroll();
		WebElement erase = this.browser.awaitElement(By.id("erase-user"));
		this.browser.script("arguments[0].scrollIntoView()", this.browser.driver.findElement(By.id("user")));
		this.browser.screenshot("user-panel-phone");
		for (int i = 0; i < 80 && !erase.equals(this.browser.driver.switchTo().activeElement()); i++) {
			this.browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
		}
		assertThat(this.browser.driver.switchTo().activeElement()).isEqualTo(erase);
		erase.sendKeys(Keys.ENTER);
		WebElement reason = this.browser.awaitElement(By.id("erase-user-reason"));
		assertThat(this.browser.driver.switchTo().activeElement()).isEqualTo(reason);
		assertThat(this.browser.driver.findElement(By.id("erase-user-name")).getText()).isEqualTo(this.userId);
		assertNoSidewaysScroll();
		this.browser.screenshot("user-erase-phone");
		reason.sendKeys(Keys.ESCAPE);
		this.browser.await((driver) -> !driver.findElement(By.id("erase-user-dialog")).isDisplayed());
		this.browser.driver.manage().window().setSize(new Dimension(1280, 900));
		// and Cancel sends nothing
		this.browser.driver.findElement(By.id("erase-user")).click();
		this.browser.awaitElement(By.id("erase-user-cancel")).click();
		this.browser.await((driver) -> !driver.findElement(By.id("erase-user-dialog")).isDisplayed());
		assertThat(this.browser.driver.findElement(By.id("user-erased")).isDisplayed()).isFalse();
		assertThat(erasuresOfTheUser()).isZero();
		assertThat(this.api.get(ownedArchived.history("after=0")).status()).isEqualTo(200);
		assertThat(this.api.get(ownedLive.history("after=0")).status()).isEqualTo(200);
		// a reason the API refuses (more than 1000 bytes): its problem is shown, nothing erased
		this.browser.driver.findElement(By.id("erase-user")).click();
		this.browser.awaitElement(By.id("erase-user-reason")).sendKeys("ü".repeat(600));
		this.browser.driver.findElement(By.id("erase-user-confirm")).click();
		assertThat(this.browser.awaitElement(By.id("user-problem")).getText()).startsWith("400: ")
			.contains("'reason' must be at most 1000 bytes");
		assertThat(this.browser.driver.findElement(By.id("user-erased")).isDisplayed()).isFalse();
		assertThat(this.api.get(ownedArchived.history("after=0")).status()).isEqualTo(200);

		this.browser.driver.findElement(By.id("erase-user")).click();
		this.browser.awaitElement(By.id("erase-user-reason")).sendKeys("asked by the user, ticket 7");
		this.browser.screenshot("user-erase-confirm");
		this.browser.driver.findElement(By.id("erase-user-confirm")).click();

		WebElement result = this.browser.awaitElement(By.id("user-erased"));
		assertThat(this.browser.awaitText(By.id("erased-sessions"), "2")).isEqualTo("2");
		assertThat(this.browser.driver.findElement(By.id("erased-participations")).getText()).isEqualTo("1");
		assertThat(this.browser.driver.findElement(By.id("erased-messages")).getText()).isEqualTo("3");
		assertThat(result.getText()).contains("asked by the user, ticket 7");
		assertThat(this.browser.driver.switchTo().activeElement()).isEqualTo(result);
		assertThat(this.browser.driver.findElement(By.id("user-problem")).getText()).isEmpty();
		// the list again: the sessions the user owned are gone, and the joined one no longer has the user
		awaitListEnd();
		assertThat(this.browser.driver.findElement(By.id("list-state")).getText()).isEqualTo("0 shown, the end of the list");
		assertThat(listedCodes()).doesNotContain(ownedLive.code(), ownedArchived.code()).isEmpty();
		this.browser.pageScreenshot("user-erased");

		assertThat(this.api.get(ownedLive.history("after=0")).status()).isEqualTo(404);
		assertThat(this.api.get(ownedArchived.history("after=0")).status()).isEqualTo(404);
		Map<Long, String> joinedAfter = messages(joined);
		assertThat(joinedAfter.keySet()).containsExactlyElementsOf(authors.keySet());
		authors.forEach((seq, author) -> assertThat(joinedAfter.get(seq))
			.isEqualTo(author.equals(this.userId) ? Tombstones.of(seq) : joinedBefore.get(seq)));

		// the erasure log, from the result's link: filtered by the user, the user's row with the reason
		this.browser.driver.findElement(By.linkText("See the erasure log")).click();
		this.browser.await((driver) -> this.browser.path().startsWith("/admin/erasures?userId="));
		this.browser.await((driver) -> driver.findElement(By.id("list-state")).getText().endsWith("the end of the log"));
		assertThat(this.browser.driver.findElement(By.cssSelector("#filters input[name=userId]")).getAttribute("value"))
			.isEqualTo(this.userId);
		List<List<String>> rows = erasureRows();
		assertThat(rows).extracting((row) -> row.get(2)).contains("user");
		List<String> userRow = rows.stream().filter((row) -> row.get(2).equals("user")).findFirst().orElseThrow();
		assertThat(userRow.get(1)).isEqualTo(ADMIN);
		assertThat(userRow.get(3)).isEqualTo("–");
		assertThat(userRow.get(5)).isEqualTo(this.userId);
		assertThat(userRow.get(7)).isEqualTo("asked by the user, ticket 7");
		assertThat(this.browser.driver.findElement(By.id("erasures")).getText()).doesNotContain("joined-");
		this.browser.screenshot("user-erasures-log");
	}

	@Test
	void eachUserOfASessionsPageLinksToTheListFilteredByThatUser() {
		Session joined = create(this.other);
		join(joined);
		this.browser.go("/admin/sessions/" + joined.code() + "/" + joined.sessionId());
		WebElement owner = this.browser
			.awaitElement(By.xpath("//dl[@id='session-meta']/dt[.='Owner']/following-sibling::dd[1]/a"));
		assertThat(owner.getText()).isEqualTo(this.otherId);
		WebElement participant = this.browser.awaitElement(By.cssSelector("#session-meta ul.participants a"));
		assertThat(participant.getText()).isEqualTo(this.userId);
		this.browser.screenshot("session-user-links");

		participant.sendKeys(Keys.ENTER);
		this.browser.await((driver) -> this.browser.path().startsWith("/admin/?userId="));
		awaitListEnd();
		assertThat(this.browser.driver.findElement(By.cssSelector("#filters input[name=userId]")).getAttribute("value"))
			.isEqualTo(this.userId);
		assertThat(this.browser.awaitElement(By.id("user-id")).getText()).isEqualTo(this.userId);
		assertThat(listedCodes()).containsExactly(joined.code());
		assertThat(this.browser.driver.findElement(By.id("export-user")).getAttribute("href"))
			.endsWith("/admin/api/users/data?userId=" + this.userId.replace("|", "%7C").replace("/", "%2F"));
	}

	@Test
	void theListWithoutAUserFilterHasNoUserPanel() {
		this.browser.go("/admin/?codePrefix=NONE" + UUID.randomUUID().toString().substring(0, 4));
		awaitListEnd();
		assertThat(this.browser.driver.findElement(By.id("user")).isDisplayed()).isFalse();
	}

	private long erasuresOfTheUser() {
		return this.jdbc.sql("SELECT count(*) FROM session_erasure WHERE user_id = ? OR owner_id = ?")
			.params(this.userId, this.userId)
			.query(Long.class)
			.single();
	}

	private List<List<String>> erasureRows() {
		List<List<String>> rows = new ArrayList<>();
		for (WebElement row : this.browser.driver.findElements(By.cssSelector("#erasures tbody tr"))) {
			rows.add(row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList());
		}
		return rows;
	}

	private void assertNoSidewaysScroll() {
		assertThat((Long) this.browser.script("return document.documentElement.scrollWidth - window.innerWidth"))
			.isLessThanOrEqualTo(0L);
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
		return this.browser.texts(By.cssSelector("#sessions tbody td:first-child a"));
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

	/** Every message of the instance by the history API, by seq, as the owner of it reads them. */
	private Map<Long, String> messages(Session session) {
		Response page = this.other.get(session.history("after=0&limit=1000"));
		assertThat(page.status()).as(page.text()).isEqualTo(200);
		assertThat(page.json().get("hasMore").asBoolean()).isFalse();
		Map<Long, String> messages = new LinkedHashMap<>();
		page.json().get("messages").values().forEach((message) -> messages.put(message.get("seq").asLong(),
				message.toString()));
		return messages;
	}

	private Session create(ApiClient owner) {
		Response created = owner.postJson("/sessions", "{}");
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		return new Session(created.json().get("code").asString(),
				UUID.fromString(created.json().get("sessionId").asString()), created.json().get("accessToken").asString());
	}

	private void append(Session session, ApiClient author, String prefix, int count) {
		for (int i = 1; i <= count; i++) {
			assertThat(author.append(session.code(), message(prefix + "-" + i)).status()).isEqualTo(201);
		}
	}

	private void join(Session session) {
		Response minted = this.api.as(session.accessToken())
			.postJson("/sessions/" + session.code() + "/tokens", "{\"rights\":[\"read\",\"append\"]}");
		assertThat(minted.status()).as(minted.text()).isEqualTo(201);
		Response joined = this.user.postJson("/sessions/" + session.code() + "/participants",
				"{\"accessToken\":\"" + minted.json().get("accessToken").asString() + "\"}");
		assertThat(joined.status()).as(joined.text()).isEqualTo(200);
	}

	private void archive(Session session) {
		assertThat(this.api.as(session.accessToken()).post("/sessions/" + session.code() + "/end").status())
			.isEqualTo(202);
		this.archiver.archive(session.code(), session.sessionId());
	}

	private static String message(String id) {
		return "{\"id\":\"" + id + "\",\"sender\":\"s\",\"data\":{\"text\":\"" + id + "\"}}";
	}

	private record Session(String code, UUID sessionId, String accessToken) {

		String history(String query) {
			return "/sessions/" + this.code + "/history?sessionId=" + this.sessionId + "&" + query;
		}

	}

}
