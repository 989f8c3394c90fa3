package dev.sessionhistory.model;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Which stored message entries PostgreSQL keeps byte for byte, and the wrapping of those it
 * would not. Entries are UTF-8 JSON texts in a Redis list, written by this system or by
 * foreign programs; the archive keeps them in a {@code json} column with a generated
 * {@code jsonb} twin, and the live history serves them as they are. Both must judge an entry
 * alike, or an archived page would differ from the live page it was.
 * <p>
 * An entry is storable when its bytes are exactly one JSON object (RFC 8259; whitespace
 * around it is allowed, as in any JSON text) that PostgreSQL's {@code jsonb} input accepts
 * unchanged in a UTF-8 database:
 * <ul>
 * <li>valid UTF-8: no overlong forms, no encoded surrogates, nothing beyond U+10FFFF;</li>
 * <li>no escape of U+0000 and no unpaired surrogate escape;</li>
 * <li>every number within {@code numeric}'s range ({@link #isStorableNumber});</li>
 * <li>at most {@link #MAX_DEPTH} levels of objects and arrays.</li>
 * </ul>
 * Size is not judged here: the writers bound it.
 * <p>
 * The check is a hand-written single pass over the bytes, allocating nothing for the usual
 * entry, because the live read runs it on every entry of every page it serves; parsing into
 * objects there would cost more than the read itself. That single pass, and the one rule
 * it encodes, is why this class is longer than most.
 */
public final class StoredEntries {

	/**
	 * The deepest nesting that is storable; the entry's own object is level 1. PostgreSQL 15
	 * parses JSON recursively and, with its default {@code max_stack_depth} of 2 MB, accepts
	 * some 15,000 levels (the archive's array of messages adds one): 1000 leaves room for a
	 * smaller stack and is twice what the API's request parser lets through.
	 */
	public static final int MAX_DEPTH = 1000;

	private StoredEntries() {
	}

	/** Whether {@code utf8} is an entry PostgreSQL stores byte for byte. */
	public static boolean isStorableObject(byte[] utf8) {
		return isStorableObject(utf8, 0, utf8.length);
	}

	/** Whether {@code utf8[offset, offset + length)} is an entry PostgreSQL stores byte for byte. */
	public static boolean isStorableObject(byte[] utf8, int offset, int length) {
		Objects.checkFromIndexSize(offset, length, utf8.length);
		int end = offset + length;
		int i = skipWhitespace(utf8, offset, end);
		if (i == end || utf8[i] != '{') {
			return false;
		}
		int depth = 0;
		// Bit n of shallow is set when level n + 1 is an array; levels beyond 64 go to deep,
		// allocated only for such entries.
		long shallow = 0;
		long[] deep = null;
		for (;;) {
			// A value starts at i.
			if (i >= end) {
				return false;
			}
			byte c = utf8[i];
			if (c == '{' || c == '[') {
				if (depth == MAX_DEPTH) {
					return false;
				}
				boolean array = c == '[';
				if (depth < 64) {
					shallow = array ? shallow | (1L << depth) : shallow & ~(1L << depth);
				}
				else {
					if (deep == null) {
						deep = new long[(MAX_DEPTH - 64 + 63) / 64];
					}
					int level = depth - 64;
					deep[level >>> 6] = array ? deep[level >>> 6] | (1L << level) : deep[level >>> 6] & ~(1L << level);
				}
				depth++;
				i = skipWhitespace(utf8, i + 1, end);
				if (i < end && utf8[i] == (array ? ']' : '}')) {
					depth--;
					i++;
				}
				else {
					i = array ? i : member(utf8, i, end);
					if (i < 0) {
						return false;
					}
					continue;
				}
			}
			else {
				i = scalar(utf8, i, end);
				if (i < 0) {
					return false;
				}
			}
			// A value ended before i: close containers until the next value or the end.
			for (;;) {
				i = skipWhitespace(utf8, i, end);
				if (depth == 0) {
					return i == end;
				}
				if (i == end) {
					return false;
				}
				int level = depth - 1;
				boolean array = (level < 64) ? (shallow >>> level & 1) != 0
						: (deep[(level - 64) >>> 6] >>> (level - 64) & 1) != 0;
				c = utf8[i];
				if (c == ',') {
					i = skipWhitespace(utf8, i + 1, end);
					i = array ? i : member(utf8, i, end);
					if (i < 0) {
						return false;
					}
					break;
				}
				if (c != (array ? ']' : '}')) {
					return false;
				}
				depth--;
				i++;
			}
		}
	}

	/**
	 * Whether {@code text} is exactly one JSON number (RFC 8259) that PostgreSQL's
	 * {@code numeric}, and so {@code jsonb}, holds: with an exponent below 1073741823 either
	 * way, at most 16383 digits after the decimal point (as written, trailing zeros too, less
	 * the exponent) and a value below 10^131072 (zero, whatever its exponent, fits).
	 */
	public static boolean isStorableNumber(String text) {
		byte[] ascii = text.getBytes(StandardCharsets.ISO_8859_1);
		return ascii.length > 0 && JsonbNumbers.scan(ascii, 0, ascii.length) == ascii.length;
	}

	/**
	 * {@code {"seq":N,"malformed":true,"raw":"…"}}, in UTF-8, for an entry that is not
	 * storable: the raw bytes decoded as UTF-8 (invalid sequences become U+FFFD, as when the
	 * entry is read as a string) and kept as a JSON string by {@link #malformed(long, String)}.
	 * Wrapping is rare, so it goes through a string.
	 */
	public static byte[] malformed(long seq, byte[] raw) {
		return malformed(seq, new String(raw, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * {@code {"seq":N,"malformed":true,"raw":"…"}} for an entry that is not storable. A NUL
	 * character, which no PostgreSQL text can hold, is kept as the six characters of its
	 * escape (backslash, u, 0000), which the JSON string then escapes in turn.
	 */
	public static String malformed(long seq, String raw) {
		StringBuilder json = new StringBuilder(raw.length() + 48);
		json.append("{\"seq\":").append(seq).append(",\"malformed\":true,\"raw\":");
		quoteRaw(json, raw);
		return json.append('}').toString();
	}

	/** {@code {"malformed":true,"raw":"…"}} for metadata that is not storable, kept like an entry. */
	public static String malformedObject(String raw) {
		StringBuilder json = new StringBuilder(raw.length() + 32);
		json.append("{\"malformed\":true,\"raw\":");
		quoteRaw(json, raw);
		return json.append('}').toString();
	}

	private static void quoteRaw(StringBuilder json, String raw) {
		MessageJson.quote(json, raw.replace("\0", "\\u0000"));
	}

	/** A member's name and colon from i; the index of its value, or -1. */
	private static int member(byte[] b, int i, int end) {
		if (i >= end || b[i] != '"') {
			return -1;
		}
		i = JsonbStrings.scan(b, i, end);
		if (i < 0) {
			return -1;
		}
		i = skipWhitespace(b, i, end);
		if (i >= end || b[i] != ':') {
			return -1;
		}
		return skipWhitespace(b, i + 1, end);
	}

	/** A string, number or literal from i; the index after it, or -1. */
	private static int scalar(byte[] b, int i, int end) {
		return switch (b[i]) {
			case '"' -> JsonbStrings.scan(b, i, end);
			case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> JsonbNumbers.scan(b, i, end);
			case 't' -> literal(b, i, end, "true");
			case 'f' -> literal(b, i, end, "false");
			case 'n' -> literal(b, i, end, "null");
			default -> -1;
		};
	}

	private static int literal(byte[] b, int i, int end, String word) {
		if (end - i < word.length()) {
			return -1;
		}
		for (int k = 0; k < word.length(); k++) {
			if (b[i + k] != word.charAt(k)) {
				return -1;
			}
		}
		return i + word.length();
	}

	private static int skipWhitespace(byte[] b, int i, int end) {
		while (i < end) {
			byte c = b[i];
			if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
				break;
			}
			i++;
		}
		return i;
	}

}
