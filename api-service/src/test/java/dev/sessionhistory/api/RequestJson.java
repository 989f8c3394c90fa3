package dev.sessionhistory.api;

import java.util.Random;

/**
 * Random JSON values as a client could send them: whitespace, every kind of escape, numbers
 * next to PostgreSQL numeric's limits and beyond, and now and then what the archive cannot
 * store (U+0000, unpaired surrogates) or deeper nesting than the request parser takes.
 */
public final class RequestJson {

	private static final String[] STRING_PIECES = { "a", " ", "é", "😀", "\uffff", "\\n", "\\\"", "\\\\", "\\/",
			"\\t", "\\u0001", "\\u001f", "\\u00e9", "\\ud83d\\ude00", "\\uDBFF\\uDFFF", "\\\\u0000", "{", "]" };

	private static final String[] REFUSED_PIECES = { "\\u0000", "\\ud800", "\\udc00", "\\ud83d\\u0041" };

	private static final String[] NUMBERS = { "0", "-0", "2.50", "1e2", "1E+2", "-1.5e-3", "1e131071", "9.9e131071",
			"1e131072", "1e-16383", "1.0e-16383", "1e-16384", "0e-16384", "0e1073741822", "0e1073741824",
			"1e1073741822", "1e2147483647", "-1e2147483648", "1e4294967296", "1e99999999999", "1e-99999999999",
			"0.00001e131076", "0.00001e131077", "1e+000000000000000000000131071" };

	private final Random random;

	public RequestJson(long seed) {
		this.random = new Random(seed);
	}

	/** A value of any kind. */
	public String value() {
		return value(0);
	}

	/** An object. */
	public String object() {
		return object(0);
	}

	private String value(int depth) {
		if (this.random.nextInt(200) == 0) {
			int levels = 495 + this.random.nextInt(10);
			return "[".repeat(levels) + number() + "]".repeat(levels);
		}
		return switch (this.random.nextInt((depth < 3) ? 8 : 6)) {
			case 0, 1 -> string();
			case 2, 3 -> number();
			case 4 -> new String[] { "true", "false", "null" }[this.random.nextInt(3)];
			case 5 -> (this.random.nextInt(3) == 0) ? " " + string() + "\n" : string();
			case 6 -> object(depth + 1);
			default -> array(depth + 1);
		};
	}

	private String object(int depth) {
		StringBuilder json = new StringBuilder("{");
		int members = this.random.nextInt(4);
		for (int i = 0; i < members; i++) {
			// distinct names: the parser refuses duplicates
			json.append((i > 0) ? " , " : "").append("\"k").append(i).append(string().substring(1)).append(" : ");
			json.append(value(depth));
		}
		return json.append('}').toString();
	}

	private String array(int depth) {
		StringBuilder json = new StringBuilder("[");
		int elements = this.random.nextInt(4);
		for (int i = 0; i < elements; i++) {
			json.append((i > 0) ? "," : "").append(value(depth));
		}
		return json.append(']').toString();
	}

	private String string() {
		StringBuilder json = new StringBuilder("\"");
		int pieces = this.random.nextInt(5);
		for (int i = 0; i < pieces; i++) {
			String[] from = (this.random.nextInt(30) == 0) ? REFUSED_PIECES : STRING_PIECES;
			json.append(from[this.random.nextInt(from.length)]);
		}
		return json.append('"').toString();
	}

	private String number() {
		if (this.random.nextInt(4) == 0) {
			return NUMBERS[this.random.nextInt(NUMBERS.length)];
		}
		StringBuilder number = new StringBuilder(this.random.nextBoolean() ? "-" : "");
		number.append(this.random.nextInt(9) + 1).append(this.random.nextInt(1000));
		if (this.random.nextBoolean()) {
			number.append('.').append(this.random.nextInt(1000));
		}
		if (this.random.nextBoolean()) {
			long exponent = new long[] { 3, 16380, 131068, 1073741820, Integer.MAX_VALUE }[this.random.nextInt(5)]
					+ this.random.nextInt(5);
			number.append('e').append(this.random.nextBoolean() ? "-" : "").append(exponent);
		}
		return number.toString();
	}

}
