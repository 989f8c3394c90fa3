package dev.sessionhistory.model;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Message entries of every kind a foreign writer could leave in Redis, for comparing
 * {@link StoredEntries} with PostgreSQL: hand-picked edge cases, generated objects, their
 * mutations, random bytes and numbers around {@code numeric}'s limits. The same seed gives
 * the same corpus.
 */
final class EntryCorpus {

	private static final String[] STRING_PIECES = { "a", "Z", " ", "0", "{", "}", "[", "]", ",", ":", "é", "€", "😀",
			"\uffff", "\udbff\udfff", "\\n", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\r", "\\t", "\\u0041", "\\u00e9",
			"\\uFFFF", "\\ud83d\\ude00", "\\uDBFF\\uDFFF", "\\\\u0000" };

	// occasionally, what jsonb or JSON refuses
	private static final String[] REFUSED_PIECES = { "\\u0000", "\\ud800", "\\udc00", "\\ud83d\\u0041", "\\udc00\\ud800",
			"\u0001", "\t", "\\x", "\\u12" };

	private static final int[][] INVALID_UTF8 = { { 0xC0, 0x80 }, { 0xC1, 0xBF }, { 0xE0, 0x80, 0x80 },
			{ 0xE0, 0x9F, 0xBF }, { 0xF0, 0x8F, 0xBF, 0xBF }, { 0xED, 0xA0, 0x80 }, { 0xED, 0xBF, 0xBF },
			{ 0xF4, 0x90, 0x80, 0x80 }, { 0xF5, 0x80, 0x80, 0x80 }, { 0xFF }, { 0xFE }, { 0x80 }, { 0xC3 }, { 0xE2, 0x82 },
			{ 0xF0, 0x9F, 0x98 } };

	private static final String JSON_ALPHABET = "{}[]\":,.-+eE0123456789 \\utrfalsn\"\"{}:";

	private final Random random;

	private final List<byte[]> entries = new ArrayList<>();

	private EntryCorpus(long seed) {
		this.random = new Random(seed);
	}

	static List<byte[]> build(long seed) {
		EntryCorpus corpus = new EntryCorpus(seed);
		corpus.handPicked();
		corpus.numberEdges();
		corpus.depths();
		List<byte[]> objects = new ArrayList<>();
		for (int i = 0; i < 800; i++) {
			objects.add(utf8(corpus.object(0)));
		}
		corpus.entries.addAll(objects);
		for (int i = 0; i < 2500; i++) {
			corpus.entries.add(corpus.mutate(objects.get(corpus.random.nextInt(objects.size()))));
		}
		for (int i = 0; i < 300; i++) {
			corpus.entries.add(corpus.randomBytes());
		}
		for (int i = 0; i < 500; i++) {
			corpus.entries.add(utf8(corpus.randomAlphabet()));
		}
		for (int i = 0; i < 600; i++) {
			corpus.entries.add(utf8("{\"n\":" + corpus.edgeNumber() + "}"));
		}
		return corpus.entries;
	}

	private void handPicked() {
		String message = "{\"seq\":1," + MessageJson.unsequenced("m1", Instant.EPOCH, "u1", "chat", "{\"t\":\"hi\"}")
			.substring(1);
		for (String entry : new String[] { message, "{}", " {} ", "{}\n", "\t{\"a\":1}\r\n", "\f{}", "\ufeff{}", "",
				" ", "null", "42", "\"x\"", "[]", "[{}]", "{\"id\":\"m2\"}],\"status\":\"hacked\",\"x\":[{\"y\":1}",
				"{\"a\":1}{\"b\":2}", "{\"a\":1},", "{\"a\":1", "{\"a\":1,}", "{a:1}", "{'a':1}", "{\"a\":01}",
				"{\"a\":.5}", "{\"a\":1.}", "{\"a\":+1}", "{\"a\":NaN}", "{\"a\":tru}", "{\"a\":\"\\u0000\"}",
				"{\"\\u0000\":1}", "{\"a\":\"\\\\u0000\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}",
				"{\"a\":\"\\ud83d\\ude00\"}", "{\"a\":\"\\ud83d\\ude0\"}", "{\"a\":\"\\ud83dx\"}", "{\"a\":\"\u0001\"}",
				"{\"a\":\"\\u00e9\\uFFFF\\uDBFF\\uDFFF\"}", "{\"a\":\"\u007f\"}", "{\"a\":1,\"a\":2}", "not json",
				"nul \u0000 char", "{\"a\":\"nul \u0000 char\"}" }) {
			this.entries.add(utf8(entry));
		}
		for (int[] sequence : INVALID_UTF8) {
			this.entries.add(concat(utf8("{\"a\":\""), bytes(sequence), utf8("\"}")));
		}
	}

	private void numberEdges() {
		for (String number : new String[] { "1e131071", "1e131072", "9.9e131071", "-1e131071", "1E+131071",
				"1e+00000000000000000131071", "1e-16383", "1.0e-16383", "1e-16384", "0e-16383", "0e-16384",
				"0.1e-16382", "0.10e-16382", "0e1073741822", "0e1073741824", "0e-1073741822", "1e1073741822",
				"1e2147483647", "1e2147483648", "1e-2147483648", "1e99999999999", "1e-99999999999",
				"0e99999999999999999999999", "0.00001e131076", "0.00001e131077", "123.456e131069", "123.456e131070",
				"1" + "0".repeat(131071), "1" + "0".repeat(131072), "1" + "0".repeat(131072) + "e-1",
				"0." + "0".repeat(16383), "0." + "0".repeat(16384), "0." + "0".repeat(16384) + "e1",
				"1." + "0".repeat(16383), "1." + "0".repeat(16384), "0." + "0".repeat(100_000) + "1e100000",
				"-0", "-0.0e-0" }) {
			this.entries.add(utf8("{\"n\":" + number + "}"));
		}
	}

	private void depths() {
		int max = StoredEntries.MAX_DEPTH;
		for (int depth : new int[] { 63, 64, 65, 66, 128, 129, max - 1, max, max + 1, max + 2, 1500, 5000, 20_000 }) {
			this.entries.add(utf8(StoredEntriesTests.nested(depth)));
			this.entries.add(utf8(StoredEntriesTests.mixed(depth)));
		}
		String deep = StoredEntriesTests.mixed(max);
		for (int level : new int[] { 2, 64, 65, 66, 200, max }) {
			int close = deep.length() - level;
			char wrong = (deep.charAt(close) == ']') ? '}' : ']';
			this.entries.add(utf8(deep.substring(0, close) + wrong + deep.substring(close + 1)));
		}
		this.entries.add(utf8(deep.substring(0, deep.length() - 1)));
	}

	private String object(int depth) {
		StringBuilder json = new StringBuilder("{");
		int members = this.random.nextInt(5);
		for (int i = 0; i < members; i++) {
			json.append((i > 0) ? "," : "").append(string()).append(':').append(value(depth + 1));
		}
		return json.append('}').toString();
	}

	private String value(int depth) {
		int kind = this.random.nextInt((depth < 4) ? 9 : 7);
		return switch (kind) {
			case 0, 1 -> string();
			case 2, 3 -> number();
			case 4 -> "true";
			case 5 -> "false";
			case 6 -> "null";
			case 7 -> object(depth);
			default -> array(depth);
		};
	}

	private String array(int depth) {
		StringBuilder json = new StringBuilder("[");
		int elements = this.random.nextInt(5);
		for (int i = 0; i < elements; i++) {
			json.append((i > 0) ? (this.random.nextBoolean() ? "," : " , ") : "").append(value(depth + 1));
		}
		return json.append(']').toString();
	}

	private String string() {
		StringBuilder json = new StringBuilder("\"");
		int pieces = this.random.nextInt(6);
		for (int i = 0; i < pieces; i++) {
			String[] from = (this.random.nextInt(40) == 0) ? REFUSED_PIECES : STRING_PIECES;
			json.append(from[this.random.nextInt(from.length)]);
		}
		return json.append('"').toString();
	}

	private String number() {
		return (this.random.nextInt(10) == 0) ? edgeNumber() : plainNumber(3, 3, 3);
	}

	private String plainNumber(int wholeDigits, int fractionDigits, int exponentDigits) {
		StringBuilder number = new StringBuilder(this.random.nextBoolean() ? "-" : "");
		number.append(this.random.nextInt(4) == 0 ? "0" : digits(1 + this.random.nextInt(wholeDigits), false));
		if (this.random.nextBoolean()) {
			number.append('.').append(digits(1 + this.random.nextInt(fractionDigits), true));
		}
		if (this.random.nextInt(3) == 0) {
			number.append(this.random.nextBoolean() ? 'e' : 'E').append(new String[] { "", "+", "-" }[this.random.nextInt(3)]);
			number.append(digits(1 + this.random.nextInt(exponentDigits), true));
		}
		return number.toString();
	}

	/** A number next to one of numeric's limits, or with a huge exponent. */
	private String edgeNumber() {
		String sign = this.random.nextBoolean() ? "-" : "";
		int delta = this.random.nextInt(5) - 2;
		switch (this.random.nextInt(5)) {
			case 0 -> {
				// the leading digit near 10^131071
				String whole = digits(1 + this.random.nextInt(6), false);
				String fraction = this.random.nextBoolean() ? "." + digits(1 + this.random.nextInt(4), true) : "";
				return sign + whole + fraction + "e" + (131071 - (whole.length() - 1) + delta);
			}
			case 1 -> {
				// leading zeros in the fraction, the leading digit near 10^131071
				int zeros = this.random.nextInt(6);
				return sign + "0." + "0".repeat(zeros) + digits(1 + this.random.nextInt(4), false) + "e"
						+ (131071 + zeros + 1 + delta);
			}
			case 2 -> {
				// the scale near 16383
				String fraction = digits(1 + this.random.nextInt(6), true);
				String whole = this.random.nextBoolean() ? "0" : digits(1 + this.random.nextInt(3), false);
				return sign + whole + "." + fraction + "e-" + (16383 - fraction.length() + delta);
			}
			case 3 -> {
				// zero with an exponent near the one numeric_in refuses outright
				String zero = this.random.nextBoolean() ? "0" : "0." + "0".repeat(1 + this.random.nextInt(3));
				long exponent = 1073741822L + ((delta == 1) ? 2 : delta);
				return sign + zero + "e" + (this.random.nextBoolean() ? "" : "+") + exponent;
			}
			default -> {
				// exponents beyond int and long
				String[] huge = { "2147483647", "2147483648", "4294967296", "9223372036854775807",
						"9223372036854775808", "99999999999999999999999", "000000000000000000000000001" };
				return plainNumber(2, 2, 1).replaceAll("[eE].*", "") + "e" + (this.random.nextBoolean() ? "-" : "")
						+ huge[this.random.nextInt(huge.length)];
			}
		}
	}

	private String digits(int count, boolean leadingZero) {
		StringBuilder digits = new StringBuilder(count);
		for (int i = 0; i < count; i++) {
			digits.append((char) ('0' + ((i == 0 && !leadingZero) ? 1 + this.random.nextInt(9) : this.random.nextInt(10))));
		}
		return digits.toString();
	}

	private byte[] mutate(byte[] entry) {
		int at = this.random.nextInt(entry.length + 1);
		return switch (this.random.nextInt(9)) {
			case 0 -> Arrays.copyOf(entry, at);
			case 1 -> (at < entry.length) ? concat(Arrays.copyOf(entry, at), Arrays.copyOfRange(entry, at + 1, entry.length))
					: entry;
			case 2 -> insert(entry, at, new byte[] { (byte) this.random.nextInt(256) });
			case 3 -> insert(entry, at, utf8(String.valueOf(JSON_ALPHABET.charAt(this.random.nextInt(JSON_ALPHABET.length())))));
			case 4 -> insert(entry, at, bytes(INVALID_UTF8[this.random.nextInt(INVALID_UTF8.length)]));
			case 5 -> insert(entry, at, utf8(REFUSED_PIECES[this.random.nextInt(REFUSED_PIECES.length)]));
			case 6 -> {
				byte[] copy = entry.clone();
				if (copy.length > 0) {
					copy[this.random.nextInt(copy.length)] = (byte) this.random.nextInt(256);
				}
				yield copy;
			}
			case 7 -> {
				if (entry.length == 0) {
					yield entry;
				}
				int from = this.random.nextInt(entry.length);
				int to = from + this.random.nextInt(entry.length - from + 1);
				yield insert(entry, at, Arrays.copyOfRange(entry, from, to));
			}
			default -> mutate(mutate(entry));
		};
	}

	private byte[] randomBytes() {
		byte[] bytes = new byte[this.random.nextInt(24)];
		this.random.nextBytes(bytes);
		if (bytes.length > 2 && this.random.nextBoolean()) {
			bytes[0] = '{';
			bytes[bytes.length - 1] = '}';
		}
		return bytes;
	}

	private String randomAlphabet() {
		StringBuilder text = new StringBuilder("{");
		int length = this.random.nextInt(16);
		for (int i = 0; i < length; i++) {
			text.append(JSON_ALPHABET.charAt(this.random.nextInt(JSON_ALPHABET.length())));
		}
		return text.append('}').toString();
	}

	private static byte[] insert(byte[] entry, int at, byte[] piece) {
		return concat(Arrays.copyOf(entry, at), piece, Arrays.copyOfRange(entry, at, entry.length));
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	private static byte[] bytes(int[] values) {
		byte[] bytes = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			bytes[i] = (byte) values[i];
		}
		return bytes;
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
