package dev.sessionhistory.model;

import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tombstone of an erased message, {@code {"seq":N,"erased":true}}: what a user's erasure
 * leaves at the seq of each message the user wrote, live and archived alike, so a history
 * keeps every seq and pages stay gap-free. A message is the user's when its {@code userId}
 * member (stamped by {@code append.lua} right after {@code seq}, or written so by a foreign
 * writer anywhere in the object) is the user id.
 */
public final class Tombstones {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final byte[] USER_ID = "\"userId\"".getBytes(StandardCharsets.UTF_8);

	private Tombstones() {
	}

	/** The tombstone of seq {@code seq}. */
	public static String of(long seq) {
		return "{\"seq\":" + seq + ",\"erased\":true}";
	}

	/**
	 * Whether a stored entry is a message of {@code userId}. Entries that do not name a
	 * {@code userId} at all are passed over without parsing; a malformed one is nobody's.
	 */
	public static boolean writtenBy(byte[] entry, String userId) {
		if (indexOf(entry, USER_ID) < 0) {
			return false;
		}
		try {
			JsonNode node = JSON.readTree(entry);
			JsonNode user = node.isObject() ? node.get("userId") : null;
			return user != null && user.isString() && userId.equals(user.asString());
		}
		catch (JacksonException ex) {
			return false;
		}
	}

	/** {@link #writtenBy(byte[], String)} of an entry read as text. */
	public static boolean writtenBy(String entry, String userId) {
		return entry.contains("\"userId\"") && writtenBy(entry.getBytes(StandardCharsets.UTF_8), userId);
	}

	private static int indexOf(byte[] data, byte[] pattern) {
		outer: for (int i = 0; i + pattern.length <= data.length; i++) {
			for (int j = 0; j < pattern.length; j++) {
				if (data[i + j] != pattern[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
