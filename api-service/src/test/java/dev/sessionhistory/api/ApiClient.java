package dev.sessionhistory.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for the integration tests: status, headers and the exact body bytes,
 * with nothing between the test and the wire. It calls as an admin unless told otherwise
 * ({@link #as(String)}, {@link #anonymous()}): the tests of what the API does with data run
 * as somebody who may do everything; the security tests choose their caller.
 */
public final class ApiClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	private final String token;

	private final String[] headers;

	public ApiClient(int port) {
		this("http://127.0.0.1:" + port, TestTokens.admin());
	}

	private ApiClient(String base, String token, String... headers) {
		this.base = base;
		this.token = token;
		this.headers = headers;
	}

	/** The same client calling with bearer token {@code token}. */
	public ApiClient as(String token) {
		return new ApiClient(this.base, token, this.headers);
	}

	/** The same client calling without a token. */
	public ApiClient anonymous() {
		return new ApiClient(this.base, null, this.headers);
	}

	/** A client that sends the header with every request, e.g. another caller's address. */
	public ApiClient withHeader(String name, String value) {
		String[] more = Arrays.copyOf(this.headers, this.headers.length + 2);
		more[this.headers.length] = name;
		more[this.headers.length + 1] = value;
		return new ApiClient(this.base, this.token, more);
	}

	public Response get(String path, String... headers) {
		return send(request(path, headers).GET());
	}

	/**
	 * A {@code GET} whose body is read as it arrives: the answer comes with the headers, and
	 * the server sends no faster than the caller reads (the client asks for more of the
	 * body only as the stream is read).
	 */
	public HttpResponse<InputStream> open(String path) {
		return exchange(request(path).GET(), BodyHandlers.ofInputStream());
	}

	/** An {@code OPTIONS} request, e.g. a browser's CORS preflight. */
	public Response options(String path, String... headers) {
		return send(request(path, headers).method("OPTIONS", BodyPublishers.noBody()));
	}

	public Response post(String path) {
		return send(request(path).POST(BodyPublishers.noBody()));
	}

	public Response postJson(String path, String json, String... headers) {
		return post(path, "application/json", json.getBytes(StandardCharsets.UTF_8), headers);
	}

	public Response post(String path, String contentType, byte[] body, String... headers) {
		String[] all = new String[headers.length + 2];
		all[0] = "Content-Type";
		all[1] = contentType;
		System.arraycopy(headers, 0, all, 2, headers.length);
		return send(request(path, all).POST(BodyPublishers.ofByteArray(body)));
	}

	/** Creates a session and returns its code. */
	public Response delete(String path) {
		return send(request(path).DELETE());
	}

	public String createSession(String json) {
		Response response = postJson("/sessions", json);
		if (response.status() != 201) {
			throw new IllegalStateException("Could not create a session: " + response.text());
		}
		return response.json().get("code").asString();
	}

	/** The id of the code's current instance, else of its latest archived one. */
	public UUID sessionId(String code) {
		return UUID.fromString(get("/sessions/" + code).json().get("sessionId").asString());
	}

	public Response append(String code, String json) {
		return postJson("/sessions/" + code + "/messages", json);
	}

	private HttpRequest.Builder request(String path, String... headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(30));
		if (this.token != null) {
			builder.header("Authorization", "Bearer " + this.token);
		}
		for (int i = 0; i + 1 < this.headers.length; i += 2) {
			builder.header(this.headers[i], this.headers[i + 1]);
		}
		for (int i = 0; i + 1 < headers.length; i += 2) {
			builder.header(headers[i], headers[i + 1]);
		}
		return builder;
	}

	private Response send(HttpRequest.Builder request) {
		var response = exchange(request, BodyHandlers.ofByteArray());
		return new Response(response.statusCode(), response.headers(), response.body());
	}

	private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
		try {
			return this.http.send(request.build(), body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * @param status the status code
	 * @param headers the response headers
	 * @param body the body, byte for byte
	 */
	public record Response(int status, java.net.http.HttpHeaders headers, byte[] body) {

		public String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

		public JsonNode json() {
			return JSON.readTree(this.body);
		}

		public String header(String name) {
			return this.headers.firstValue(name).orElse(null);
		}

		/** The URI of the next page of a list ({@code Link: <…>; rel="next"}), {@code null} on its last. */
		public String next() {
			String link = header("Link");
			if (link == null) {
				return null;
			}
			if (!link.endsWith(">; rel=\"next\"")) {
				throw new IllegalStateException("Not a link to a next page: " + link);
			}
			return link.substring(1, link.indexOf('>'));
		}

		/** The text of the {@code messages} array of a history page, exactly as sent. */
		public String messagesText() {
			String text = text();
			int start = text.indexOf("\"messages\":[");
			return text.substring(start + "\"messages\":".length(), text.length() - 1);
		}

	}

}
