package dev.sessionhistory.reliability;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * The generators of the bad-input run: random codes in paths, query strings, methods,
 * content types and bodies, against every endpoint of the API.
 */
final class BadRequests {

	static final List<String> CONTENT_TYPES = java.util.Arrays.asList("application/json",
			"application/json; charset=UTF-8", "application/json;charset=ISO-8859-1", "application/json; charset=bogus",
			"text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
			"application/problem+json", "application/*", "*/*", "garbage", "", null);

	static final List<String> ACCEPTS = java.util.Arrays.asList("application/json", "application/xml", "text/html",
			"*/*", "application/problem+json", "garbage/", "text/plain;q=0.5, */*;q=0.1", null);

	private BadRequests() {
	}

	static Arbitrary<BadRequest> any(List<String> liveCodes) {
		Arbitrary<BadRequest> requests = Arbitraries.frequencyOf(Tuple.of(4, appends(liveCodes)),
				Tuple.of(2, creates()), Tuple.of(3, pathsAndQueries(liveCodes)), Tuple.of(1, wrongMethods(liveCodes)));
		Arbitrary<String> accepts = Arbitraries.of(ACCEPTS).injectNull(0.6);
		return Combinators.combine(requests, accepts, Arbitraries.integers().between(0, 19))
			.as((request, accept, dice) -> {
				BadRequest withAccept = (accept != null) ? request.withHeader("Accept", accept) : request;
				// One request in twenty is cut short on the wire: the client closes mid-body.
				return (dice == 0 && withAccept.body().length > 1)
						? withAccept.cutShortBy(1 + withAccept.body().length / 2) : withAccept;
			});
	}

	static Arbitrary<BadRequest> appends(List<String> liveCodes) {
		Arbitrary<String> contentTypes = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("application/json")),
				Tuple.of(1, Arbitraries.of(CONTENT_TYPES)));
		return Combinators.combine(Arbitraries.of(liveCodes), BadBodies.messages(), contentTypes)
			.as((code, body, contentType) -> BadRequest.of(body.kind(), "POST", "/sessions/" + code + "/messages",
					contentType, body.bytes(), body.mustReject() || notJson(contentType)));
	}

	static Arbitrary<BadRequest> creates() {
		Arbitrary<String> contentTypes = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just("application/json")),
				Tuple.of(1, Arbitraries.of(CONTENT_TYPES)));
		return Combinators.combine(BadBodies.sessions(), contentTypes)
			.as((body, contentType) -> BadRequest.of(body.kind(), "POST", "/sessions", contentType, body.bytes(),
					body.mustReject()));
	}

	static Arbitrary<BadRequest> pathsAndQueries(List<String> liveCodes) {
		Arbitrary<String> endpoints = Arbitraries.of("GET %s", "GET %s/history%s", "POST %s/messages", "POST %s/end",
				"GET %s/history%s", "GET %s/nothing-here");
		return Combinators.combine(endpoints, codes(liveCodes), queries())
			.as((endpoint, code, query) -> {
				String[] parts = endpoint.split(" ");
				// Sessions are ended only under codes nobody uses, so the live ones keep taking appends.
				String safeCode = (parts[1].endsWith("/end") && liveCodes.contains(code)) ? code + "x" : code;
				String target = String.format(parts[1], "/sessions/" + safeCode, query);
				String body = parts[0].equals("POST") ? "{\"data\":{\"probe\":true}}" : "";
				return BadRequest.of("random code or query", parts[0], target, parts[0].equals("POST") ? "application/json" : null,
						body, false);
			});
	}

	static Arbitrary<BadRequest> wrongMethods(List<String> liveCodes) {
		return Combinators.combine(Arbitraries.of("PUT", "DELETE", "PATCH", "GET"),
				Arbitraries.of("/sessions", "/sessions/%s/messages", "/sessions/%s/end", "/sessions/%s"),
				Arbitraries.of(liveCodes))
			.as((method, path, code) -> {
				String target = String.format(path, code);
				boolean exists = method.equals("GET") && !target.endsWith("/end") && !target.endsWith("/messages")
						&& !target.equals("/sessions");
				return BadRequest.of("wrong method", method, target, "application/json",
						method.equals("GET") ? "" : "{\"data\":1}", !exists);
			});
	}

	static Arbitrary<String> codes(List<String> liveCodes) {
		return Arbitraries.oneOf(Arbitraries.of(liveCodes),
				Arbitraries.strings().ofMaxLength(70).map(BadRequests::encode),
				Arbitraries.strings().withChars("ABCDEFGHJKLMNPQRSTUVWXYZ23456789").ofLength(6),
				Arbitraries.of("..", ".", "%2F", "%2e%2e", "%00", "%G1", "%", "a%20b", "%F0%9F%98%80", "%C3%28",
						"%FF%FE", "A".repeat(65), "B".repeat(5000), "x;y=z", "%5C", "%3F", "%23", "%25", "%0D%0A"));
	}

	static Arbitrary<String> queries() {
		Arbitrary<String> names = Arbitraries.of("limit", "before", "after", "sessionId", "LIMIT", "foo", "", "limit[]");
		Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.longs().map(String::valueOf),
				Arbitraries.integers().between(-3, 1001).map(String::valueOf),
				Arbitraries.of("", "abc", "1e3", "0x10", "%201", "99999999999999999999", "%00", "-0", "1.5",
						"00000000-0000-0000-0000-000000000000", "not-a-uuid", "%E2%82%AC"),
				Arbitraries.strings().ofMaxLength(20).map(BadRequests::encode));
		Arbitrary<String> pair = Combinators.combine(names, values).as((name, value) -> name + "=" + value);
		return pair.list().ofMaxSize(4).map((pairs) -> pairs.isEmpty() ? "" : "?" + String.join("&", pairs));
	}

	/** Content types that cannot be JSON; a JSON one with an odd charset is left to the API. */
	static boolean notJson(String contentType) {
		return contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).contains("json");
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

}
