package dev.sessionhistory.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The stored form of a message: a compact JSON object
 * {@code {"seq":N,"id":"…","sentAt":"…","sender":…,"type":…,"data":…}}. Writers build it
 * without {@code seq} ({@link #unsequenced}); the append script puts {@code seq} in front.
 * Readers return the stored text as it is; {@link StoredEntries} judges it.
 */
public final class MessageJson {

	/** ISO-8601 UTC with milliseconds, e.g. {@code 2026-11-24T10:00:00.000Z}. */
	public static final DateTimeFormatter SENT_AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private MessageJson() {
	}

	/**
	 * Builds a message without {@code seq}, for the append script.
	 * @param id the message id
	 * @param sentAt the server time
	 * @param sender the sender or {@code null}
	 * @param type the type or {@code null}
	 * @param data the data as compact JSON text (any JSON value, {@code null} included)
	 */
	public static String unsequenced(String id, Instant sentAt, String sender, String type, String data) {
		StringBuilder json = new StringBuilder(64 + data.length());
		json.append("{\"id\":");
		quote(json, id);
		json.append(",\"sentAt\":\"").append(SENT_AT.format(sentAt)).append('"');
		json.append(",\"sender\":");
		quote(json, sender);
		json.append(",\"type\":");
		quote(json, type);
		json.append(",\"data\":").append(data).append('}');
		return json.toString();
	}

	/** Appends {@code value} as a JSON string ({@code null} as {@code null}). */
	public static void quote(StringBuilder json, String value) {
		if (value == null) {
			json.append("null");
			return;
		}
		json.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				case '\b' -> json.append("\\b");
				case '\f' -> json.append("\\f");
				default -> {
					if (c < 0x20) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		json.append('"');
	}

}
