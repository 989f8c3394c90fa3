package dev.sessionhistory.api.archive;

import java.util.Arrays;

/**
 * Finds the elements of a JSON array in its UTF-8 text without parsing them: one pass that
 * tracks only nesting and strings. Multi-byte UTF-8 sequences never contain ASCII bytes,
 * so scanning bytes is safe. The text must be well-formed; PostgreSQL's {@code json} type
 * guarantees that for archived histories.
 */
final class JsonArrayIndex {

	private JsonArrayIndex() {
	}

	/**
	 * @return for element i, its first byte at {@code [2i]} and the byte after its last at
	 * {@code [2i + 1]}
	 * @throws IllegalArgumentException if the text is not an array
	 */
	static int[] of(byte[] json) {
		int i = skipWhitespace(json, 0);
		if (i >= json.length || json[i] != '[') {
			throw new IllegalArgumentException("Not a JSON array");
		}
		int[] bounds = new int[32];
		int count = 0;
		i = skipWhitespace(json, i + 1);
		if (i < json.length && json[i] == ']') {
			return new int[0];
		}
		while (i < json.length) {
			int start = i;
			i = endOfValue(json, i);
			int end = i;
			while (end > start && isWhitespace(json[end - 1])) {
				end--;
			}
			if (count * 2 + 2 > bounds.length) {
				bounds = Arrays.copyOf(bounds, bounds.length * 2);
			}
			bounds[count * 2] = start;
			bounds[count * 2 + 1] = end;
			count++;
			if (i >= json.length) {
				break;
			}
			if (json[i] == ']') {
				return Arrays.copyOf(bounds, count * 2);
			}
			i = skipWhitespace(json, i + 1); // past the comma
		}
		throw new IllegalArgumentException("Unterminated JSON array");
	}

	/** @return the index of the ',' or ']' that ends the value starting at {@code i} */
	private static int endOfValue(byte[] json, int i) {
		int depth = 0;
		boolean inString = false;
		for (; i < json.length; i++) {
			byte b = json[i];
			if (inString) {
				if (b == '\\') {
					i++;
				}
				else if (b == '"') {
					inString = false;
				}
			}
			else if (b == '"') {
				inString = true;
			}
			else if (b == '{' || b == '[') {
				depth++;
			}
			else if (b == '}' || b == ']') {
				if (depth == 0) {
					return i;
				}
				depth--;
			}
			else if (b == ',' && depth == 0) {
				return i;
			}
		}
		return i;
	}

	private static int skipWhitespace(byte[] json, int i) {
		while (i < json.length && isWhitespace(json[i])) {
			i++;
		}
		return i;
	}

	private static boolean isWhitespace(byte b) {
		return b == ' ' || b == '\n' || b == '\r' || b == '\t';
	}

}
