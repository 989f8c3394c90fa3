package dev.sessionhistory.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The strings of {@link StoredEntries}: JSON strings over UTF-8 bytes as PostgreSQL's
 * {@code jsonb} input takes them.
 */
final class JsonbStrings {

	// The bytes a string holds as they are: printable ASCII but the quote and the backslash.
	private static final boolean[] PLAIN = new boolean[256];

	static {
		for (int c = 0x20; c < 0x80; c++) {
			PLAIN[c] = c != '"' && c != '\\';
		}
	}

	// Eight bytes at a time (SWAR): the live read judges every entry of every page it
	// serves, and most of an entry's bytes are plain string bytes.
	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
			ByteOrder.LITTLE_ENDIAN);

	private static final long ONES = 0x0101010101010101L;

	private static final long HIGHS = 0x8080808080808080L;

	private static final long SPACES = 0x2020202020202020L;

	private static final long QUOTES = 0x2222222222222222L;

	private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

	private JsonbStrings() {
	}

	/** A string from the quote at i; the index after its closing quote, or -1. */
	static int scan(byte[] b, int i, int end) {
		i++;
		while (i < end) {
			while (i + 8 <= end && plain((long) LONGS.get(b, i))) {
				i += 8;
			}
			if (i == end) {
				break;
			}
			int c = b[i] & 0xFF;
			if (PLAIN[c]) {
				i++;
			}
			else if (c == '"') {
				return i + 1;
			}
			else if (c < 0x20) {
				return -1;
			}
			else {
				i = (c == '\\') ? escape(b, i, end) : multiByte(b, i, end, c);
				if (i < 0) {
					return -1;
				}
			}
		}
		return -1;
	}

	/**
	 * Whether all eight bytes are {@link #PLAIN}: none below 0x20 or above 0x7F, no quote,
	 * no backslash. Each test is exact about whether some byte matches (a borrow can only
	 * mark bytes above one that does).
	 */
	private static boolean plain(long word) {
		long control = (word - SPACES) & ~word & HIGHS;
		long quote = hasZero(word ^ QUOTES);
		long backslash = hasZero(word ^ BACKSLASHES);
		return ((word & HIGHS) | control | quote | backslash) == 0;
	}

	private static long hasZero(long word) {
		return (word - ONES) & ~word & HIGHS;
	}

	/** The escape at i; the index after it, or -1 for a malformed or refused one. */
	private static int escape(byte[] b, int i, int end) {
		if (i + 1 >= end) {
			return -1;
		}
		switch (b[i + 1]) {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
				return i + 2;
			}
			case 'u' -> {
				int unit = hex4(b, i + 2, end);
				if (unit <= 0 || (unit >= 0xDC00 && unit <= 0xDFFF)) {
					return -1; // malformed, U+0000 (jsonb refuses it) or a low surrogate alone
				}
				if (unit < 0xD800 || unit > 0xDBFF) {
					return i + 6;
				}
				// A high surrogate must be followed at once by the escape of a low one.
				if (i + 7 >= end || b[i + 6] != '\\' || b[i + 7] != 'u') {
					return -1;
				}
				int low = hex4(b, i + 8, end);
				return (low >= 0xDC00 && low <= 0xDFFF) ? i + 12 : -1;
			}
			default -> {
				return -1;
			}
		}
	}

	private static int hex4(byte[] b, int i, int end) {
		if (end - i < 4) {
			return -1;
		}
		int value = 0;
		for (int k = i; k < i + 4; k++) {
			int c = b[k];
			int digit = (c >= '0' && c <= '9') ? c - '0'
					: (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
			if (digit < 0) {
				return -1;
			}
			value = value << 4 | digit;
		}
		return value;
	}

	/**
	 * The UTF-8 sequence led by {@code lead} at i; the index after it, or -1 when it is
	 * overlong, a surrogate, beyond U+10FFFF, truncated or not UTF-8 at all.
	 */
	private static int multiByte(byte[] b, int i, int end, int lead) {
		int continuations;
		int min = 0x80;
		int max = 0xBF;
		if (lead >= 0xC2 && lead <= 0xDF) {
			continuations = 1;
		}
		else if (lead >= 0xE0 && lead <= 0xEF) {
			continuations = 2;
			if (lead == 0xE0) {
				min = 0xA0; // overlong below U+0800
			}
			else if (lead == 0xED) {
				max = 0x9F; // U+D800..U+DFFF
			}
		}
		else if (lead >= 0xF0 && lead <= 0xF4) {
			continuations = 3;
			if (lead == 0xF0) {
				min = 0x90; // overlong below U+10000
			}
			else if (lead == 0xF4) {
				max = 0x8F; // beyond U+10FFFF
			}
		}
		else {
			return -1;
		}
		if (end - i <= continuations) {
			return -1;
		}
		int second = b[i + 1] & 0xFF;
		if (second < min || second > max) {
			return -1;
		}
		for (int k = i + 2; k <= i + continuations; k++) {
			if ((b[k] & 0xC0) != 0x80) {
				return -1;
			}
		}
		return i + continuations + 1;
	}

}
