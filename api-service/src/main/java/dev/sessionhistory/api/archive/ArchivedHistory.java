package dev.sessionhistory.api.archive;

import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The directory of an archived history: its instance, code, message count and where each
 * of its chunks ({@code session_history_chunk}) starts and ends. It holds no messages, so
 * it costs a few bytes per chunk. An archive changes only by an erasure, which deletes it,
 * or a user's erasure, which rewrites some chunks and raises its revision.
 *
 * @param sessionId the instance
 * @param code its code
 * @param endedAt when the session ended
 * @param owner the owner's user id, or {@code null} for none
 * @param total how many messages it holds
 * @param firstSeqs the first seq of each chunk, ascending
 * @param lastSeqs the last seq of each chunk
 * @param revision how many times its messages were rewritten since it was written
 */
public record ArchivedHistory(UUID sessionId, String code, Instant endedAt, @Nullable String owner, int total, int[] firstSeqs,
		int[] lastSeqs, int revision) implements ArchiveCache.Weighed {

	/**
	 * @throws IllegalStateException unless the chunks hold seqs 1 to {@code total}, each once
	 */
	public ArchivedHistory {
		int expected = 1;
		for (int i = 0; i < firstSeqs.length; i++) {
			if (firstSeqs[i] != expected || lastSeqs[i] < firstSeqs[i]) {
				throw broken(sessionId, "chunk " + firstSeqs[i] + "-" + lastSeqs[i] + " where seq " + expected
						+ " should start one");
			}
			expected = lastSeqs[i] + 1;
		}
		if (expected != total + 1) {
			throw broken(sessionId, "chunks end at seq " + (expected - 1) + " but it has " + total + " messages");
		}
	}

	int chunks() {
		return this.firstSeqs.length;
	}

	/** The chunk holding {@code seq}, which must be one of the archive's. */
	public int chunkOf(long seq) {
		int index = Arrays.binarySearch(this.firstSeqs, (int) seq);
		return (index >= 0) ? index : -index - 2;
	}

	@Override
	public int weight() {
		return 96 + ((this.owner != null) ? 2 * this.owner.length() : 0) + this.firstSeqs.length * 8;
	}

	static IllegalStateException broken(UUID sessionId, String detail) {
		return new IllegalStateException("The archive of " + sessionId + " is inconsistent: " + detail);
	}

}
