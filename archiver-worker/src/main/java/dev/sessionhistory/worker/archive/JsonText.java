package dev.sessionhistory.worker.archive;

import dev.sessionhistory.model.MessageJson;

/**
 * Checks and wrapping of JSON texts that come from Redis, so every archive row inserts.
 */
final class JsonText {

	private JsonText() {
	}

	/**
	 * Whether {@code text} is a JSON object PostgreSQL's {@code jsonb} accepts: well-formed,
	 * and without the escapes jsonb refuses (of U+0000, of unpaired surrogates).
	 */
	static boolean isStorableObject(String text) {
		return MessageJson.isObject(text) && !hasRefusedEscape(text);
	}

	/** {@code {"seq":N,"malformed":true,"raw":"…"}} for an entry that cannot be stored as it is. */
	static String malformedMessage(int seq, String raw) {
		StringBuilder json = new StringBuilder(raw.length() + 48);
		json.append("{\"seq\":").append(seq).append(",\"malformed\":true,\"raw\":");
		quote(json, raw);
		return json.append('}').toString();
	}

	/** {@code {"malformed":true,"raw":"…"}} for metadata that cannot be stored as it is. */
	static String malformedObject(String raw) {
		StringBuilder json = new StringBuilder(raw.length() + 32);
		json.append("{\"malformed\":true,\"raw\":");
		quote(json, raw);
		return json.append('}').toString();
	}

	/**
	 * Scans the escapes of a well-formed JSON text. Outside strings a backslash cannot
	 * occur, so every backslash starts an escape.
	 */
	static boolean hasRefusedEscape(String text) {
		boolean pendingHigh = false;
		for (int i = 0; i < text.length(); i++) {
			if (text.charAt(i) != '\\') {
				if (pendingHigh) {
					return true;
				}
				continue;
			}
			char kind = (i + 1 < text.length()) ? text.charAt(i + 1) : ' ';
			if (kind != 'u' || i + 6 > text.length()) {
				if (pendingHigh) {
					return true;
				}
				i++;
				continue;
			}
			int unit = Integer.parseInt(text, i + 2, i + 6, 16);
			if (unit == 0) {
				return true;
			}
			boolean high = unit >= 0xD800 && unit <= 0xDBFF;
			boolean low = unit >= 0xDC00 && unit <= 0xDFFF;
			if (low != pendingHigh) {
				return true;
			}
			pendingHigh = high;
			i += 5;
		}
		return pendingHigh;
	}

	/**
	 * Quotes {@code value} as a JSON string. A NUL character, which no PostgreSQL text
	 * can hold, is kept as the six characters of its escape (backslash, u, 0000).
	 */
	static void quote(StringBuilder json, String value) {
		MessageJson.quote(json, value.replace("\0", "\\u0000"));
	}

}
