package dev.sessionhistory.api.gallery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven through Selenium, as a person would use the gallery: the
 * browser and driver installed from the distribution's packages ({@code chromium},
 * {@code chromium-driver}; {@code .ci/run} installs them), named explicitly so that nothing
 * is looked up or downloaded at test time. Each browser has a profile and a download
 * folder of its own, and saves screenshots under {@code target/gallery-screenshots/}.
 */
final class Browser implements AutoCloseable {

	static final Path SCREENSHOTS = Path.of("target", "gallery-screenshots");

	private static final Path CHROMIUM = Path.of(System.getProperty("gallery.chromium", "/usr/bin/chromium"));

	private static final Path DRIVER = Path.of(System.getProperty("gallery.chromedriver", "/usr/bin/chromedriver"));

	private static final Duration WAIT = Duration.ofSeconds(20);

	final ChromeDriver driver;

	final Path downloads;

	private final Path profile;

	private final String base;

	private Browser(ChromeDriver driver, Path profile, Path downloads, String base) {
		this.driver = driver;
		this.profile = profile;
		this.downloads = downloads;
		this.base = base;
	}

	/** A new browser, 1280 px wide, for the API on the port. */
	static Browser open(int port) {
		return open("http://localhost:" + port);
	}

	/**
	 * A new browser, 1280 px wide, for the API at {@code base} (such as
	 * {@code http://127.0.0.1:8080}, when an identity provider of the test is on
	 * {@code localhost}).
	 */
	static Browser open(String base) {
		if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
			throw new IllegalStateException("The browser tests need Chromium and its driver at " + CHROMIUM + " and "
					+ DRIVER + ": install the packages chromium and chromium-driver (.ci/run does)");
		}
		try {
			Path profile = Files.createTempDirectory("gallery-browser");
			Path downloads = Files.createDirectories(profile.resolve("downloads"));
			ChromeOptions options = new ChromeOptions();
			options.setBinary(CHROMIUM.toFile());
			// headless and quiet: no first-run pages, no calls home (the network is closed)
			options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
					"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
					"--disable-sync", "--disable-extensions", "--user-data-dir=" + profile.resolve("profile"));
			options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
			options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
					"download.prompt_for_download", false));
			ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
				.usingAnyFreePort()
				.build();
			ChromeDriver driver = new ChromeDriver(service, options);
			driver.manage().window().setSize(new Dimension(1280, 900));
			return new Browser(driver, profile, downloads, base);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Opens the path of the API (say {@code /admin/}). */
	Browser go(String path) {
		this.driver.get(this.base + path);
		return this;
	}

	String path() {
		String url = this.driver.getCurrentUrl();
		return url.startsWith(this.base) ? url.substring(this.base.length()) : url;
	}

	/** Signs in with the token the way the link {@code ./run.sh} prints does. */
	Browser signInWithToken(String token) {
		go("/admin/sign-in#token=" + token);
		return this;
	}

	/** Waits for the condition; when it never holds, says what the page's console said. */
	<T> T await(Function<WebDriver, T> condition) {
		try {
			// the page redraws parts of itself: an element found a moment ago may be gone
			return new WebDriverWait(this.driver, WAIT).ignoring(StaleElementReferenceException.class)
				.until(condition);
		}
		catch (TimeoutException ex) {
			throw new TimeoutException("At " + path() + ", the browser's console said: " + console(), ex);
		}
	}

	/** What the page wrote to its console (errors among it) since the last call. */
	String console() {
		return this.driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.map(LogEntry::toString)
			.collect(Collectors.joining("\n"));
	}

	WebElement awaitElement(By by) {
		return await((driver) -> {
			List<WebElement> found = driver.findElements(by);
			return (!found.isEmpty() && found.get(0).isDisplayed()) ? found.get(0) : null;
		});
	}

	/** Waits until the element's text is the expected one, and answers it. */
	String awaitText(By by, String expected) {
		await((driver) -> {
			List<WebElement> found = driver.findElements(by);
			return !found.isEmpty() && expected.equals(found.get(0).getText());
		});
		return this.driver.findElement(by).getText();
	}

	List<String> texts(By by) {
		return this.driver.findElements(by).stream().map(WebElement::getText).toList();
	}

	Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) this.driver).executeScript(script, arguments);
	}

	/** Saves what the browser shows as {@code target/gallery-screenshots/NAME.png}. */
	Path screenshot(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			Path file = SCREENSHOTS.resolve(name + ".png");
			Files.write(file, this.driver.getScreenshotAs(OutputType.BYTES));
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The whole page, as tall as it is, in {@code target/gallery-screenshots/NAME.png}. */
	Path pageScreenshot(String name) {
		Dimension window = this.driver.manage().window().getSize();
		long height = (Long) script("return document.documentElement.scrollHeight");
		this.driver.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.min(height + 140, 4000)));
		try {
			return screenshot(name);
		}
		finally {
			this.driver.manage().window().setSize(window);
		}
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			deleteQuietly(this.profile);
		}
	}

	private static void deleteQuietly(Path folder) {
		try (var paths = Files.walk(folder)) {
			paths.sorted((a, b) -> b.compareTo(a)).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a profile left in the temporary folder is harmless
		}
	}

}
