package dev.sessionhistory.api.history;

import java.util.UUID;

/**
 * An archived history as PostgreSQL holds it: the {@code messages_raw} text (UTF-8) and
 * where each message lies in it. Message i has seq i + 1. An archive too large to be read
 * whole has only its size here ({@link #whole()} is false); its pages are sliced by
 * PostgreSQL.
 *
 * @param sessionId the instance
 * @param code its code
 * @param messagesRaw the JSON array of the stored messages, byte for byte, or {@code null}
 * @param bounds start and end offsets of each message in {@code messagesRaw}, or {@code null}
 * @param total how many messages it holds
 */
record ArchivedHistory(UUID sessionId, String code, byte[] messagesRaw, int[] bounds, int total) {

	static ArchivedHistory of(UUID sessionId, String code, byte[] messagesRaw) {
		int[] bounds = JsonArrayIndex.of(messagesRaw);
		return new ArchivedHistory(sessionId, code, messagesRaw, bounds, bounds.length / 2);
	}

	static ArchivedHistory large(UUID sessionId, String code, int total) {
		return new ArchivedHistory(sessionId, code, null, null, total);
	}

	boolean whole() {
		return this.messagesRaw != null;
	}

	/** The first byte of the message after the first {@code from}. */
	int start(long from) {
		return this.bounds[(int) from * 2];
	}

	/** The byte after message {@code to} (a seq). */
	int end(long to) {
		return this.bounds[(int) to * 2 - 1];
	}

	/** What the cache charges for it: its text plus the index. */
	long weight() {
		return (whole() ? this.messagesRaw.length + this.bounds.length * 4L : 0) + 128;
	}

}
