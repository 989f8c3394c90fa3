package dev.sessionhistory.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reading the replies of the {@link SessionScripts} as a Redis client returns them: bulk
 * strings as the {@code byte[]} Redis sent (or as {@code String} when the client decoded
 * them as UTF-8), integers as {@code Long}, arrays as {@code List}, nil as {@code null}.
 * Anything else than what a script's header promises fails loudly: it means the script
 * in Redis is not the one this code speaks to.
 */
final class ScriptReplies {

	private ScriptReplies() {
	}

	/** The reply as a list of at least one element whose first element is a word. */
	static List<?> tagged(String script, Object reply) {
		if (!(reply instanceof List<?> values) || values.isEmpty() || text(values.get(0)) == null) {
			throw unexpected(script, reply);
		}
		return values;
	}

	/** The enum constant named by {@code word}, the published reply of a script. */
	static <E extends Enum<E>> E word(String script, Object word, Class<E> type) {
		String text = text(word);
		if (text != null) {
			for (E constant : type.getEnumConstants()) {
				if (constant.name().equals(text)) {
					return constant;
				}
			}
		}
		throw new IllegalStateException(script + " answered " + describe(word) + ", not one of "
				+ Arrays.toString(type.getEnumConstants()));
	}

	static void size(String script, List<?> values, int size) {
		if (values.size() != size) {
			throw unexpected(script, values);
		}
	}

	static long number(String script, Object value) {
		if (value instanceof Long number) {
			return number;
		}
		throw new IllegalStateException(script + " answered " + describe(value) + " where a number belongs");
	}

	/** A bulk string as bytes; {@code null} for nil. */
	static byte[] bytes(Object value) {
		if (value == null || value instanceof byte[]) {
			return (byte[]) value;
		}
		if (value instanceof String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}
		throw new IllegalStateException("Expected a bulk string in a script reply, got " + describe(value));
	}

	/** A bulk string as text; {@code null} for nil or anything that is no string. */
	static String text(Object value) {
		if (value instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return (value instanceof String text) ? text : null;
	}

	static List<String> texts(List<?> values) {
		List<String> texts = new ArrayList<>(values.size());
		for (Object value : values) {
			texts.add(text(value));
		}
		return texts;
	}

	static List<byte[]> byteList(List<?> values) {
		List<byte[]> list = new ArrayList<>(values.size());
		for (Object value : values) {
			byte[] bytes = bytes(value);
			if (bytes == null) {
				throw new IllegalStateException("Expected a bulk string in a script reply, got nil");
			}
			list.add(bytes);
		}
		return list;
	}

	static IllegalStateException unexpected(String script, Object reply) {
		return new IllegalStateException(script + " answered " + describe(reply) + ", which it never answers");
	}

	/** A short rendering of a reply for error messages. */
	static String describe(Object reply) {
		String text;
		if (reply instanceof List<?> values) {
			List<String> parts = new ArrayList<>();
			for (Object value : values.subList(0, Math.min(values.size(), 4))) {
				parts.add(describe(value));
			}
			text = parts + ((values.size() > 4) ? " and " + (values.size() - 4) + " more" : "");
		}
		else if (reply instanceof byte[] || reply instanceof String) {
			text = "'" + text(reply) + "'";
		}
		else {
			text = String.valueOf(reply);
		}
		return (text.length() > 200) ? text.substring(0, 200) + "…" : text;
	}

}
