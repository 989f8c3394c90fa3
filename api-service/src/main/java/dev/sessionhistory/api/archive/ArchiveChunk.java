package dev.sessionhistory.api.archive;

import java.util.UUID;

/**
 * One chunk of an archived history as PostgreSQL holds it: the {@code messages_raw} text
 * (UTF-8, a JSON array of the stored messages) and where each message lies in it, found
 * without parsing ({@link JsonArrayIndex}). Message {@code seq} is element
 * {@code seq - firstSeq}.
 *
 * @param firstSeq the seq of its first message
 * @param messagesRaw the JSON array, byte for byte as stored
 * @param bounds start and end offsets of each message in {@code messagesRaw}
 */
public record ArchiveChunk(int firstSeq, byte[] messagesRaw, int[] bounds) implements ArchiveCache.Weighed {

	/**
	 * @throws IllegalStateException unless the text holds messages {@code firstSeq} to
	 * {@code lastSeq}
	 */
	static ArchiveChunk of(UUID sessionId, int firstSeq, int lastSeq, byte[] messagesRaw) {
		int[] bounds;
		try {
			bounds = JsonArrayIndex.of(messagesRaw);
		}
		catch (IllegalArgumentException ex) {
			throw ArchivedHistory.broken(sessionId, "chunk " + firstSeq + " is no JSON array");
		}
		if (bounds.length / 2 != lastSeq - firstSeq + 1) {
			throw ArchivedHistory.broken(sessionId, "chunk " + firstSeq + "-" + lastSeq + " holds "
					+ bounds.length / 2 + " messages");
		}
		return new ArchiveChunk(firstSeq, messagesRaw, bounds);
	}

	public int lastSeq() {
		return this.firstSeq + this.bounds.length / 2 - 1;
	}

	/** The first byte of message {@code seq}. */
	public int start(long seq) {
		return this.bounds[(int) (seq - this.firstSeq) * 2];
	}

	/** The byte after message {@code seq}. */
	public int end(long seq) {
		return this.bounds[(int) (seq - this.firstSeq) * 2 + 1];
	}

	/** What the cache charges for it: its text plus the index. */
	@Override
	public int weight() {
		return 64 + this.messagesRaw.length + this.bounds.length * 4;
	}

}
