package dev.sessionhistory.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of the API contract, over plain HTTP/1.1 on loopback. Every call returns a
 * {@link Reply}; a request that got no answer (refused, reset, timed out) has status -1.
 * <p>
 * It calls as real clients do: it creates sessions with a user's token, appends to and
 * ends each session with the access token its create answered (as the device that created
 * it would), and reads as an admin, for the checks.
 * <p>
 * Requests that give up early ({@link #appendGivingUpAfter}) go through a client of their
 * own, like a second client process: the JDK client can hand a connection whose request
 * timed out to a later request, which then fails with no answer at all (measured with one
 * request in three giving up after 5 ms: about 1 in 2,000 of the others failed when all
 * shared one pool, none of 76,000 with separate pools). That is a fault of the client, not
 * of the API, so it must not show up as one here.
 */
final class Api {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final String baseUrl;

	private final HttpClient http;

	private final HttpClient impatient;

	private final String userToken;

	private final String adminToken;

	/** Each session's access token, by code, from the answer to its create. */
	private final Map<String, String> sessionTokens = new ConcurrentHashMap<>();

	Api(String baseUrl, String userToken, String adminToken) {
		this.baseUrl = baseUrl;
		this.userToken = userToken;
		this.adminToken = adminToken;
		this.http = newClient("api-client");
		this.impatient = newClient("impatient-client");
	}

	private static HttpClient newClient(String threadName) {
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.executor(Executors.newCachedThreadPool((runnable) -> {
				Thread thread = new Thread(runnable, threadName);
				thread.setDaemon(true);
				return thread;
			}))
			.build();
	}

	/** Creates session {@code code} as the user; a 201 hands its access token to this client. */
	Reply createSession(String code, int ttlSeconds) {
		Reply reply = send(this.http, postRequest("/sessions",
				"{\"code\":\"" + code + "\",\"ttlSeconds\":" + ttlSeconds + "}", TIMEOUT, this.userToken));
		remember(reply);
		return reply;
	}

	/** Keeps the access token of a 201 to {@code POST /sessions}; other answers are ignored. */
	void remember(Reply created) {
		if (created.is(201)) {
			JsonNode json = created.json();
			this.sessionTokens.put(json.get("code").asString(), json.get("accessToken").asString());
		}
	}

	/**
	 * Gets session {@code code} a token with every right from an admin, for a client whose
	 * create succeeded without the answer reaching it.
	 * @return whether the token was minted
	 */
	boolean recoverToken(String code) {
		Reply reply = send(this.http, postRequest("/sessions/" + code + "/tokens",
				"{\"rights\":[\"read\",\"append\",\"end\"]}", TIMEOUT, this.adminToken));
		if (reply.is(201)) {
			this.sessionTokens.put(code, reply.json().get("accessToken").asString());
		}
		return reply.is(201);
	}

	/** The access token of session {@code code}, {@code null} before it was created. */
	String sessionToken(String code) {
		return this.sessionTokens.get(code);
	}

	String userToken() {
		return this.userToken;
	}

	String adminToken() {
		return this.adminToken;
	}

	/** Appends {@code {"id":id,"sender":"reliability","type":"note","data":data}}. */
	Reply append(String code, String id, String data) {
		return send(this.http, appendRequest(code, id, data, TIMEOUT));
	}

	/** {@link #append} by a client that stops waiting for the answer after {@code timeout}. */
	Reply appendGivingUpAfter(String code, String id, String data, Duration timeout) {
		return send(this.impatient, appendRequest(code, id, data, timeout));
	}

	private HttpRequest appendRequest(String code, String id, String data, Duration timeout) {
		return postRequest("/sessions/" + code + "/messages",
				"{\"id\":\"" + id + "\",\"sender\":\"reliability\",\"type\":\"note\",\"data\":" + data + "}", timeout,
				sessionToken(code));
	}

	Reply end(String code) {
		return send(this.http, postRequest("/sessions/" + code + "/end", "", TIMEOUT, sessionToken(code)));
	}

	/**
	 * {@code DELETE /sessions/{code}?sessionId=&reason=}: erases one instance, as its owner
	 * (the user who created it) or, with {@code asAdmin}, as the admin.
	 */
	Reply erase(String code, UUID sessionId, String reason, boolean asAdmin) {
		String query = "?sessionId=" + sessionId + "&reason="
				+ URLEncoder.encode(reason, StandardCharsets.UTF_8);
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.baseUrl + "/sessions/" + code + query))
			.timeout(TIMEOUT)
			.header("Authorization", "Bearer " + (asAdmin ? this.adminToken : this.userToken))
			.DELETE()
			.build();
		return send(this.http, request);
	}

	/** A GET as the admin. */
	Reply get(String pathAndQuery) {
		return send(this.http, getRequest(pathAndQuery));
	}

	/**
	 * A GET whose body is kept as the bytes sent, to check them as they are: decoding to a
	 * string would mend invalid UTF-8 silently.
	 * @return the status and the body, or status -1 and an empty body for no answer
	 */
	Bytes getBytes(String pathAndQuery) {
		try {
			HttpResponse<byte[]> response = this.http.send(getRequest(pathAndQuery),
					HttpResponse.BodyHandlers.ofByteArray());
			return new Bytes(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			return new Bytes(-1, new byte[0]);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Bytes(-1, new byte[0]);
		}
	}

	private HttpRequest getRequest(String pathAndQuery) {
		return HttpRequest.newBuilder(URI.create(this.baseUrl + pathAndQuery))
			.timeout(TIMEOUT)
			.header("Authorization", "Bearer " + this.adminToken)
			.GET()
			.build();
	}

	/** A POST with {@code token} as its bearer token, or none when it is {@code null}. */
	private HttpRequest postRequest(String path, String json, Duration timeout, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(timeout)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return request.build();
	}

	private static Reply send(HttpClient client, HttpRequest request) {
		try {
			HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
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
	 * One answer, its body as bytes.
	 *
	 * @param status the HTTP status, -1 for none
	 * @param body the body as sent
	 */
	record Bytes(int status, byte[] body) {
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
