package dev.sessionhistory.model;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StoredEntriesTests {

	@Test
	void objectsAreStorable() {
		assertStorable("{}", "{\"seq\":1,\"data\":{\"a\":[1,2.5,-0,true,false,null,\"x\",[],{}]}}",
				"{ \"seq\" : 2 , \"d\" : [ 1 , { } ] }", "{\"a\":1,\"a\":2}", "{\"\":\"\"}");
		String message = "{\"seq\":7," + MessageJson.unsequenced("m1", Instant.EPOCH, "u\"1", null, "[1,{\"b\":\"\\n\"}]")
			.substring(1);
		assertStorable(message);
	}

	@Test
	void whitespaceAroundTheObjectIsAllowedAsInAnyJsonText() {
		assertStorable(" {}", "{}\n", "\r\n\t {\"a\":1} \t\r\n");
		assertNotStorable("\f{}", "{}\u000b", "\u00a0{}", "\ufeff{}");
	}

	@Test
	void anythingButExactlyOneObjectIsNotStorable() {
		assertNotStorable("", " ", "[1,2]", "\"text\"", "42", "true", "null", "not json", "{\"a\":1}{\"b\":2}",
				"{\"a\":1},", "{\"a\":1} x", "{\"id\":\"m2\"}],\"status\":\"hacked\",\"x\":[{\"y\":1}");
	}

	@Test
	void malformedJsonIsNotStorable() {
		assertNotStorable("{", "}", "{\"a\":1", "{\"a\"}", "{\"a\" 1}", "{\"a\":}", "{a:1}", "{'a':1}", "{\"a\":'x'}",
				"{\"a\":1,}", "{,\"a\":1}", "{\"a\":[1,]}", "{\"a\":[,1]}", "{\"a\":[1 2]}", "{\"a\":]", "{\"a\":[}",
				"{\"a\":{]}", "{\"a\":tru}", "{\"a\":True}", "{\"a\":nul}", "{\"a\":nulll}", "{\"a\":\"x}",
				"{\"a\":\"x\ty\"}", "{\"a\":\"\u0001\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12g4\"}",
				"{\"a\":\"\\U1234\"}", "{\"a\":\"\\\"}", "{\"a\":1}}", "{\"a\":[1]]}", "{\"a\":1 \"b\":2}");
	}

	@Test
	void numbersFollowTheJsonGrammar() {
		assertStorable("{\"n\":0}", "{\"n\":-0.0}", "{\"n\":10}", "{\"n\":1.5e3}", "{\"n\":1E+3}", "{\"n\":1e-3}",
				"{\"n\":[0,1]}");
		assertNotStorable("{\"n\":01}", "{\"n\":-01}", "{\"n\":.5}", "{\"n\":1.}", "{\"n\":+1}", "{\"n\":-}",
				"{\"n\":1e}", "{\"n\":1e+}", "{\"n\":1.e3}", "{\"n\":0x10}", "{\"n\":NaN}", "{\"n\":Infinity}",
				"{\"n\":-Infinity}", "{\"n\":1.5.3}", "{\"n\":1true}", "{\"n\":--1}", "{\"n\":1_000}");
	}

	@Test
	void numbersMustFitPostgresNumeric() {
		// the limits measured against PostgreSQL 15's jsonb input
		assertNumbers(true, "1e131071", "9.9e131071", "-1e131071", "1e+00000000000000000131071", "0.00001e131076",
				"1e-16383", "0e-16383", "0.1e-16382", "0e1073741822", "0.000e1073741822", "0e-0", "123.456e131069");
		assertNumbers(false, "1e131072", "1.0e-16383", "1e-16384", "0e-16384", "0.10e-16382", "0.00001e131077",
				"123.456e131070", "0e1073741823", "0e-1073741822", "1e1073741822", "1e2147483647", "1e2147483648",
				"1e-2147483649", "1e99999999999", "0e99999999999", "1e999999999999999999999999999999",
				"1e-99999999999999999999");
		assertNumbers(true, "1" + "0".repeat(131071), "1" + "0".repeat(131072) + "e-1", "0." + "0".repeat(16383),
				"0." + "0".repeat(16384) + "e1", "0." + "0".repeat(100_000) + "1e100000");
		assertNumbers(false, "1" + "0".repeat(131072), "0." + "0".repeat(16384), "1." + "0".repeat(16384));
	}

	@Test
	void aNumberAloneIsJudgedByTheSameRule() {
		assertThat(StoredEntries.isStorableNumber("1e131071")).isTrue();
		assertThat(StoredEntries.isStorableNumber("-2.50")).isTrue();
		for (String text : new String[] { "1e99999999999", "1e2147483647", "1e131072", "1e-16384", "", "-", "01",
				" 1", "1 ", "1,", "\u0661", "\uff11", "NaN" }) {
			assertThat(StoredEntries.isStorableNumber(text)).as(text).isFalse();
		}
	}

	@Test
	void escapesJsonbRefusesAreNotStorable() {
		assertStorable("{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", "{\"a\":\"\\u00e9\\u20AC\\uFFFF\"}",
				"{\"a\":\"\\ud83d\\ude00\",\"b\":\"\\uDBFF\\uDFFF\"}", "{\"a\":\"\\\\u0000\"}", "{\"a\":\"\\u0001\"}");
		assertNotStorable("{\"a\":\"x\\u0000y\"}", "{\"\\u0000\":1}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}",
				"{\"a\":\"\\udc00\\ud800\"}", "{\"a\":\"\\ud83dx\"}", "{\"a\":\"\\ud83d\\n\"}",
				"{\"a\":\"\\ud83d\\ud83d\\ude00\"}", "{\"a\":\"\\ud83d\\u0041\"}", "{\"a\":\"\\ud83d\\ude0\"}",
				"{\"a\":\"\\ud83d\"}");
	}

	@Test
	void onlyValidUtf8IsStorable() {
		assertStorable(bytes("{\"a\":\"", 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, "\"}"));
		assertStorable(bytes("{\"", 0xF4, 0x8F, 0xBF, 0xBF, "\":\"", 0xEF, 0xBF, 0xBF, 0xED, 0x9F, 0xBF, "\"}"));
		assertStorable(bytes("{\"a\":\"", 0xC2, 0x80, 0xE0, 0xA0, 0x80, 0xF0, 0x90, 0x80, 0x80, 0x7F, "\"}"));
		int[][] invalid = { { 0xC0, 0x80 }, { 0xC1, 0xBF }, { 0xE0, 0x80, 0x80 }, { 0xE0, 0x9F, 0xBF },
				{ 0xF0, 0x8F, 0xBF, 0xBF }, { 0xED, 0xA0, 0x80 }, { 0xED, 0xBF, 0xBF }, { 0xF4, 0x90, 0x80, 0x80 },
				{ 0xF5, 0x80, 0x80, 0x80 }, { 0xF8, 0x88, 0x80, 0x80, 0x80 }, { 0xFF }, { 0x80 }, { 0xBF },
				{ 0xC3 }, { 0xE2, 0x82 }, { 0xF0, 0x9F, 0x98 }, { 0xC3, 0x41 }, { 0xE2, 0x28, 0xA1 },
				{ 0xF0, 0x9F, 0x28, 0x80 }, { 0x00 } };
		for (int[] sequence : invalid) {
			Object[] parts = new Object[sequence.length + 2];
			parts[0] = "{\"a\":\"";
			for (int i = 0; i < sequence.length; i++) {
				parts[i + 1] = sequence[i];
			}
			parts[parts.length - 1] = "\"}";
			assertNotStorable(bytes(parts));
		}
		assertNotStorable(bytes("{\"a\":\"", 0xE2, 0x82)); // cut inside a character
		assertNotStorable(bytes("{\"a\":1", 0xC3, 0xA9, "}"), bytes(0xC3, 0xA9, "{}"));
	}

	@Test
	void nestingDeeperThanTheLimitIsNotStorable() {
		int max = StoredEntries.MAX_DEPTH;
		assertStorable(nested(max), mixed(max), nested(65), mixed(129));
		assertNotStorable(nested(max + 1), mixed(max + 1), nested(20_000));
		// a wrong closing bracket is found at every level, shallow or deep
		for (int level : new int[] { 2, 63, 64, 65, 66, 130, max }) {
			String entry = mixed(max);
			int close = entry.length() - level;
			char wrong = (entry.charAt(close) == ']') ? '}' : ']';
			assertNotStorable(entry.substring(0, close) + wrong + entry.substring(close + 1));
		}
	}

	/** Strings are scanned eight bytes at a time: every byte of a word must still count. */
	@Test
	void everyPositionOfALongStringIsJudged() {
		for (int at = 0; at < 24; at++) {
			String before = "a".repeat(at);
			String after = "b".repeat(23 - at);
			assertStorable(text(before + "\\n" + after), text(before + "é€😀" + after), text(before + "\u007f" + after),
					text(before + "\\u00e9" + after), text(before + "\\\"" + after));
			assertNotStorable(text(before + "\u0001" + after), text(before + "\u001f" + after),
					text(before + "\\u0000" + after), text(before + "\\x" + after),
					text(before + "\"" + after));
			byte[] invalid = text(before + "?" + after).getBytes(StandardCharsets.UTF_8);
			invalid[6 + at] = (byte) 0xFF;
			assertNotStorable(invalid);
			assertNotStorable("{\"k\":\"" + before, "{\"k\":\"" + before + "\\");
		}
	}

	private static String text(String value) {
		return "{\"k\":\"" + value + "\"}";
	}

	@Test
	void aSliceIsJudgedWithoutItsSurroundings() {
		byte[] buffer = "xx{\"a\":[1]}yy".getBytes(StandardCharsets.UTF_8);
		assertThat(StoredEntries.isStorableObject(buffer, 2, 9)).isTrue();
		assertThat(StoredEntries.isStorableObject(buffer, 2, 8)).isFalse();
		assertThat(StoredEntries.isStorableObject(buffer, 1, 10)).isFalse();
		assertThat(StoredEntries.isStorableObject(buffer, 2, 10)).isFalse();
		byte[] number = "{\"n\":12}".getBytes(StandardCharsets.UTF_8);
		assertThat(StoredEntries.isStorableObject(number, 0, 6)).isFalse();
		assertThatExceptionOfType(IndexOutOfBoundsException.class)
			.isThrownBy(() -> StoredEntries.isStorableObject(buffer, 5, 9));
	}

	@Test
	void malformedEntriesKeepTheirRawTextAsAJsonString() {
		assertThat(StoredEntries.malformed(3, "he said \"hi\"\n\\"))
			.isEqualTo("{\"seq\":3,\"malformed\":true,\"raw\":\"he said \\\"hi\\\"\\n\\\\\"}");
		assertThat(StoredEntries.malformed(1, "a\u0000b\u0001"))
			.isEqualTo("{\"seq\":1,\"malformed\":true,\"raw\":\"a\\\\u0000b\\u0001\"}");
		assertThat(StoredEntries.malformed(12_345_678_901L, "x")).isEqualTo("{\"seq\":12345678901,\"malformed\":true,\"raw\":\"x\"}");
		assertThat(StoredEntries.malformedObject("{oops")).isEqualTo("{\"malformed\":true,\"raw\":\"{oops\"}");
	}

	@Test
	void malformedBytesAreDecodedWithReplacementCharacters() {
		byte[] raw = bytes("a", 0xC0, 0x80, "b", 0xED, 0xA0, 0x80, 0x00, 0xF0, 0x9F, 0x98, 0x80, 0xE2, 0x82);
		String expected = "{\"seq\":2,\"malformed\":true,\"raw\":\"a\ufffd\ufffdb\ufffd\\\\u0000\ud83d\ude00\ufffd\"}";
		assertThat(new String(StoredEntries.malformed(2, raw), StandardCharsets.UTF_8)).isEqualTo(expected);
		assertThat(StoredEntries.malformed(2, raw))
			.isEqualTo(StoredEntries.malformed(2, new String(raw, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
		assertThat(StoredEntries.isStorableObject(StoredEntries.malformed(2, raw))).isTrue();
		assertThat(StoredEntries.isStorableObject(StoredEntries.malformed(9, "{\"a\":\"\\u0000\"}".getBytes()))).isTrue();
	}

	/** An object with arrays inside to the given total depth. */
	static String nested(int depth) {
		return "{\"d\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
	}

	/** Objects and arrays alternating to the given total depth, the innermost empty. */
	static String mixed(int depth) {
		StringBuilder open = new StringBuilder();
		StringBuilder close = new StringBuilder();
		for (int level = 1; level < depth; level++) {
			boolean object = level % 2 == 1;
			open.append(object ? "{\"k\":" : "[");
			close.insert(0, object ? '}' : ']');
		}
		return open + ((depth % 2 == 1) ? "{}" : "[]") + close;
	}

	/** Text parts as UTF-8 and integers as single bytes. */
	static byte[] bytes(Object... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (Object part : parts) {
			if (part instanceof String text) {
				out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
			}
			else {
				out.write((Integer) part);
			}
		}
		return out.toByteArray();
	}

	private static void assertNumbers(boolean storable, String... numbers) {
		for (String number : numbers) {
			String entry = "{\"n\":" + number + "}";
			assertThat(StoredEntries.isStorableObject(entry.getBytes(StandardCharsets.UTF_8)))
				.as(abbreviate(entry))
				.isEqualTo(storable);
			assertThat(StoredEntries.isStorableNumber(number)).as(abbreviate(number)).isEqualTo(storable);
		}
	}

	private static void assertStorable(String... entries) {
		for (String entry : entries) {
			assertStorable(entry.getBytes(StandardCharsets.UTF_8));
		}
	}

	private static void assertStorable(byte[] entry) {
		assertThat(StoredEntries.isStorableObject(entry)).as(abbreviate(new String(entry, StandardCharsets.UTF_8)))
			.isTrue();
	}

	private static void assertNotStorable(String... entries) {
		for (String entry : entries) {
			assertNotStorable(entry.getBytes(StandardCharsets.UTF_8));
		}
	}

	private static void assertNotStorable(byte[]... entries) {
		for (byte[] entry : entries) {
			assertThat(StoredEntries.isStorableObject(entry)).as(abbreviate(new String(entry, StandardCharsets.UTF_8)))
				.isFalse();
		}
	}

	private static String abbreviate(String text) {
		return (text.length() <= 80) ? text : text.substring(0, 80) + "… (" + text.length() + " chars)";
	}

}
