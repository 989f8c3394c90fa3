package dev.sessionhistory.api.gallery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * What a browser does with HTTP and nothing more: it keeps the cookies each host sets and
 * sends them back, and leaves every redirect to the test, which asserts each hop and then
 * follows it.
 */
final class CookieClient {

	private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

	private final HttpClient http = HttpClient.newBuilder()
		.cookieHandler(this.cookies)
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	/** A page opened by following a link or a redirect. */
	HttpResponse<String> open(String uri) {
		return send(request(uri).header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").GET());
	}

	/** A page's script fetching JSON, with the cookies. */
	HttpResponse<String> fetch(String uri) {
		return send(request(uri).header("Accept", "*/*").GET());
	}

	/** A form posted as {@code application/x-www-form-urlencoded}. */
	HttpResponse<String> post(String uri, Map<String, String> fields) {
		String form = fields.entrySet()
			.stream()
			.map((field) -> encode(field.getKey()) + "=" + encode(field.getValue()))
			.collect(Collectors.joining("&"));
		return send(request(uri).header("Content-Type", "application/x-www-form-urlencoded")
			.POST(BodyPublishers.ofString(form)));
	}

	/** A page's script sending a {@code DELETE}, with the cookies and the given header pairs. */
	HttpResponse<String> delete(String uri, String... headers) {
		HttpRequest.Builder request = request(uri).header("Accept", "application/json").DELETE();
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return send(request);
	}

	/** The value of the cookie a host set (what a page's script reads), {@code null} if none. */
	String cookie(String name) {
		return this.cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals(name))
			.map(HttpCookie::getValue)
			.findFirst()
			.orElse(null);
	}

	/** Where a redirect goes, resolved against the request's address. */
	static String location(HttpResponse<?> response) {
		String location = response.headers()
			.firstValue("Location")
			.orElseThrow(() -> new AssertionError(
					"no Location in the answer " + response.statusCode() + " to " + response.uri()));
		return response.uri().resolve(location).toString();
	}

	/** The decoded query parameters of {@code uri}. */
	static Map<String, String> query(String uri) {
		MultiValueMap<String, String> parameters = UriComponentsBuilder.fromUriString(uri).build().getQueryParams();
		return parameters.toSingleValueMap()
			.entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey,
					(parameter) -> (parameter.getValue() != null)
							? URLDecoder.decode(parameter.getValue(), StandardCharsets.UTF_8) : ""));
	}

	private static HttpRequest.Builder request(String uri) {
		return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.build(), BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
