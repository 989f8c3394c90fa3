package dev.sessionhistory.reliability;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Request bodies for the bad-input run: for appends and for session creation, valid ones
 * (so acknowledged writes happen and are checked) and every way of breaking them.
 */
final class BadBodies {

	private BadBodies() {
	}

	/**
	 * A body.
	 *
	 * @param kind what it is
	 * @param bytes its bytes
	 * @param mustReject whether the contract says it is invalid
	 */
	record Body(String kind, byte[] bytes, boolean mustReject) {

		static Body of(String kind, String text, boolean mustReject) {
			return new Body(kind, text.getBytes(StandardCharsets.UTF_8), mustReject);
		}

	}

	static Arbitrary<Body> messages() {
		return Arbitraries.oneOf(validMessages(), invalidMessages(), strangeButValidJson(), broken(validMessages()));
	}

	static Arbitrary<Body> validMessages() {
		Arbitrary<String> ids = Arbitraries.strings().withChars("abcXYZ019-_").ofMinLength(1).ofMaxLength(64)
			.map((id) -> "\"id\":" + quote(id) + ",")
			.injectNull(0.3)
			.map((id) -> (id != null) ? id : "");
		Arbitrary<String> data = Arbitraries.oneOf(Arbitraries.integers().map(String::valueOf),
				Arbitraries.strings().ofMaxLength(200).map(BadBodies::quote), Arbitraries.of("null", "{}", "[]", "true",
						"{\"a\":[1,2,{\"b\":null}]}", "1.0e+3", "-0", "123456789012345678901234567890"));
		return Combinators.combine(ids, data).as((id, value) -> Body.of("valid message", "{" + id + "\"data\":" + value + "}", false));
	}

	static Arbitrary<Body> invalidMessages() {
		return Arbitraries.oneOf(Arbitraries.of(Body.of("empty", "", true), Body.of("no data", "{\"id\":\"a\"}", true),
				Body.of("array", "[{\"data\":1}]", true), Body.of("string", "\"data\"", true),
				Body.of("null", "null", true), Body.of("number", "42", true),
				Body.of("two values", "{\"data\":1}{\"data\":2}", true),
				Body.of("trailing garbage", "{\"data\":1}xyz", true), Body.of("id not a string", "{\"id\":7,\"data\":1}", true),
				Body.of("id an object", "{\"id\":{},\"data\":1}", true),
				Body.of("id too long", "{\"id\":\"" + "i".repeat(65) + "\",\"data\":1}", true),
				Body.of("sender not a string", "{\"sender\":[1],\"data\":1}", true),
				Body.of("not JSON", "data=1&id=2", true), Body.of("single quotes", "{'data':1}", true),
				Body.of("comment", "{\"data\":1 /* c */}", true), Body.of("NaN", "{\"data\":NaN}", true),
				nested("nested 10000 deep", 10_000, true), nested("nested 8000 deep (under 16 KiB)", 8000, false),
				nested("nested 600 deep", 600, false), nested("nested 100 deep", 100, false),
				Body.of("1 MiB", "{\"data\":\"" + "x".repeat(1 << 20) + "\"}", true)),
				Arbitraries.integers().between(-40, 40).map(BadBodies::aroundTheLimit));
	}

	/** Valid JSON that storage layers treat specially: if accepted, it must be archived as acknowledged. */
	static Arbitrary<Body> strangeButValidJson() {
		return Arbitraries.of(Body.of("escaped NUL", "{\"data\":\"a\\u0000b\"}", false),
				Body.of("lone surrogate escape", "{\"data\":\"\\ud800\"}", false),
				Body.of("duplicate keys", "{\"data\":1,\"data\":2}", false),
				Body.of("byte order mark", "\ufeff{\"data\":1}", false),
				Body.of("huge exponent", "{\"data\":1e999999}", false),
				Body.of("whitespace everywhere", " {\n\t\"data\" :\r\n [ 1 , 2 ] } ", false),
				Body.of("unicode", "{\"data\":\"\u65e5\u672c \ud83d\ude00 \u2028 \u00e9\"}", false),
				Body.of("escaped slash and unicode key", "{\"data\":{\"\\u0041\\/\":\"\\/\"}}", false));
	}

	/** Truncated text and invalid UTF-8 inside otherwise valid bodies. */
	static Arbitrary<Body> broken(Arbitrary<Body> valid) {
		return broken(valid, "{\"data\":\"", "\"}");
	}

	/** As {@link #broken(Arbitrary)}, the invalid UTF-8 placed between {@code before} and {@code after}. */
	static Arbitrary<Body> broken(Arbitrary<Body> valid, String before, String after) {
		Arbitrary<Body> truncated = Combinators.combine(valid, Arbitraries.doubles().between(0.05, 0.95))
			.as((body, at) -> new Body("truncated " + body.kind(), java.util.Arrays.copyOf(body.bytes(),
					Math.max(1, Math.min(body.bytes().length - 1, (int) (body.bytes().length * at)))), true));
		Arbitrary<Body> invalidUtf8 = Combinators.combine(Arbitraries.of(new byte[] { (byte) 0xC3, 0x28 },
				new byte[] { (byte) 0xFF }, new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
				new byte[] { (byte) 0xF0, (byte) 0x9F, (byte) 0x98 }, new byte[] { (byte) 0xC0, (byte) 0xAF }),
				Arbitraries.strings().alpha().ofMaxLength(20))
			.as((bad, text) -> {
				ByteArrayOutputStream out = new ByteArrayOutputStream();
				out.writeBytes((before + text).getBytes(StandardCharsets.UTF_8));
				out.writeBytes(bad);
				out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
				return new Body("invalid UTF-8", out.toByteArray(), true);
			});
		return Arbitraries.oneOf(truncated, invalidUtf8);
	}

	static Arbitrary<Body> sessions() {
		Arbitrary<Body> fields = Arbitraries.of("{}", "{\"ttlSeconds\":5}", "{\"ttlSeconds\":0}", "{\"ttlSeconds\":-1}",
				"{\"ttlSeconds\":1.5}", "{\"ttlSeconds\":\"5\"}", "{\"ttlSeconds\":99999999999999999999}",
				"{\"ttlSeconds\":1e3}", "{\"metadata\":[]}", "{\"metadata\":\"x\"}", "{\"metadata\":{\"a\":{\"b\":[1]}}}",
				"{\"code\":\"\"}", "{\"code\":\"" + "C".repeat(65) + "\"}", "{\"code\":\"a b\"}", "{\"code\":\"../x\"}",
				"{\"code\":7}", "{\"code\":\"\\u00e9t\\u00e9\"}", "[]", "\"\"", "null")
			.map((text) -> Body.of("session body " + text, text, false));
		Arbitrary<Body> validCode = Arbitraries.strings().withChars("ABCDEFGHJKLMNPQRSTUVWXYZ23456789_-").ofLength(7)
			.map((code) -> Body.of("session with code", "{\"code\":\"Z" + code + "\",\"ttlSeconds\":30}", false));
		return Arbitraries.oneOf(fields, validCode, broken(fields, "{\"metadata\":{\"k\":\"", "\"}}"));
	}

	private static Body nested(String kind, int depth, boolean mustReject) {
		return Body.of(kind, "{\"data\":" + "[".repeat(depth) + "]".repeat(depth) + "}", mustReject);
	}

	/** A message whose request body is 16 KiB plus {@code delta} bytes. */
	private static Body aroundTheLimit(int delta) {
		String frame = "{\"data\":\"\"}";
		String body = "{\"data\":\"" + "y".repeat(16 * 1024 + delta - frame.length()) + "\"}";
		return Body.of("16 KiB " + ((delta >= 0) ? "+" : "") + delta + " bytes", body, delta > 0);
	}

	static String quote(String text) {
		StringBuilder json = new StringBuilder("\"");
		text.chars().forEach((c) -> {
			if (c == '"' || c == '\\') {
				json.append('\\').append((char) c);
			}
			else if (c < 0x20) {
				json.append(String.format("\\u%04x", c));
			}
			else {
				json.append((char) c);
			}
		});
		return json.append('"').toString();
	}

}
