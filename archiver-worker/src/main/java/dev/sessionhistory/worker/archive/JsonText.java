package dev.sessionhistory.worker.archive;

import java.nio.charset.StandardCharsets;

import dev.sessionhistory.model.StoredEntries;

/**
 * {@link StoredEntries} for the texts the worker reads from Redis as strings, so an archive
 * wraps exactly the entries the live history wraps, in the same words.
 */
final class JsonText {

	private JsonText() {
	}

	/**
	 * Whether {@code text} is a JSON object PostgreSQL stores as it is. The text was decoded
	 * from the stored bytes, so its UTF-8 encoding gives them back, except that an invalid
	 * sequence already became U+FFFD: such an entry is judged by its repaired text.
	 */
	static boolean isStorableObject(String text) {
		return text != null && StoredEntries.isStorableObject(text.getBytes(StandardCharsets.UTF_8));
	}

	/** {@code {"seq":N,"malformed":true,"raw":"…"}} for an entry that cannot be stored as it is. */
	static String malformedMessage(int seq, String raw) {
		return StoredEntries.malformed(seq, raw);
	}

	/** {@code {"malformed":true,"raw":"…"}} for metadata that cannot be stored as it is. */
	static String malformedObject(String raw) {
		return StoredEntries.malformedObject(raw);
	}

}
