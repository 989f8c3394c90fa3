package dev.sessionhistory.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of the API contract, over plain HTTP/1.1 on loopback. Every call returns a
 * {@link Reply}; a request that got no answer (refused, reset, timed out) has status -1.
 */
final class Api {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final String baseUrl;

	private final HttpClient http;

	Api(String baseUrl) {
		this.baseUrl = baseUrl;
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.executor(Executors.newCachedThreadPool((runnable) -> {
				Thread thread = new Thread(runnable, "api-client");
				thread.setDaemon(true);
				return thread;
			}))
			.build();
	}

	Reply createSession(String code, int ttlSeconds) {
		return post("/sessions", "{\"code\":\"" + code + "\",\"ttlSeconds\":" + ttlSeconds + "}", TIMEOUT);
	}

	Reply append(String code, String id, String data) {
		return append(code, id, data, TIMEOUT);
	}

	/** Appends {@code {"id":id,"sender":"reliability","type":"note","data":data}}. */
	Reply append(String code, String id, String data, Duration timeout) {
		return post("/sessions/" + code + "/messages",
				"{\"id\":\"" + id + "\",\"sender\":\"reliability\",\"type\":\"note\",\"data\":" + data + "}", timeout);
	}

	Reply end(String code) {
		return post("/sessions/" + code + "/end", "", TIMEOUT);
	}

	Reply get(String pathAndQuery) {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + pathAndQuery)).timeout(TIMEOUT).GET().build());
	}

	private Reply post(String path, String json, Duration timeout) {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(timeout)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	private Reply send(HttpRequest request) {
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
					response.body());
		}
		catch (IOException ex) {
			return new Reply(-1, "", ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Reply(-1, "", ex.toString());
		}
	}

	/**
	 * One answer.
	 *
	 * @param status the HTTP status, -1 for none
	 * @param contentType the Content-Type header, empty if none
	 * @param body the body as text
	 */
	record Reply(int status, String contentType, String body) {

		boolean is(int expected) {
			return this.status == expected;
		}

		JsonNode json() {
			return JSON.readTree(this.body);
		}

	}

}
