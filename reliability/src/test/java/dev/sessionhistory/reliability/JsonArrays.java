package dev.sessionhistory.reliability;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an archived {@code messages_raw} array into the exact text of its elements, so
 * each can be compared byte for byte with what the API acknowledged: the archive promises
 * {@code "[" + stored messages joined by "," + "]"}, so no whitespace is skipped.
 */
final class JsonArrays {

	private JsonArrays() {
	}

	/**
	 * @throws IllegalArgumentException if the text is not an array of that exact shape
	 */
	static List<String> elements(String raw) {
		if (raw == null || raw.length() < 2 || raw.charAt(0) != '[' || raw.charAt(raw.length() - 1) != ']') {
			throw new IllegalArgumentException("Not a JSON array: " + abbreviate(raw));
		}
		List<String> elements = new ArrayList<>();
		if (raw.length() == 2) {
			return elements;
		}
		int depth = 0;
		boolean inString = false;
		int start = 1;
		for (int i = 1; i < raw.length() - 1; i++) {
			char c = raw.charAt(i);
			if (inString) {
				if (c == '\\') {
					i++;
				}
				else if (c == '"') {
					inString = false;
				}
				continue;
			}
			switch (c) {
				case '"' -> inString = true;
				case '{', '[' -> depth++;
				case '}', ']' -> depth--;
				case ',' -> {
					if (depth == 0) {
						elements.add(raw.substring(start, i));
						start = i + 1;
					}
				}
				default -> {
				}
			}
			if (depth < 0) {
				throw new IllegalArgumentException("Unbalanced array: " + abbreviate(raw));
			}
		}
		if (depth != 0 || inString) {
			throw new IllegalArgumentException("Unbalanced array: " + abbreviate(raw));
		}
		elements.add(raw.substring(start, raw.length() - 1));
		return elements;
	}

	static String abbreviate(String text) {
		if (text == null) {
			return "null";
		}
		return (text.length() <= 300) ? text : text.substring(0, 300) + "…(" + text.length() + " chars)";
	}

}
