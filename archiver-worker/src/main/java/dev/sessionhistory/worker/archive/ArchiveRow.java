package dev.sessionhistory.worker.archive;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.sessionhistory.model.InvalidSessionDataException;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionMeta;
import dev.sessionhistory.model.StoredEntries;

/**
 * One archived session: a row of {@code session_history} and, once read, its chunks.
 *
 * @param ref the instance
 * @param meta its meta hash
 * @param metadata the metadata JSON object to store, or {@code null}
 * @param metadataWrapped whether the metadata had to be wrapped as malformed
 * @param claimedCount the length of the message list when it was claimed
 * @param chunks its messages in windows, ascending seq; empty until read
 */
record ArchiveRow(SessionRef ref, SessionMeta meta, String metadata, boolean metadataWrapped, long claimedCount,
		List<ArchiveChunk> chunks) {

	private static final Set<String> END_REASONS = Set.of(SessionMeta.REASON_ENDED, SessionMeta.REASON_EXPIRED);

	/**
	 * @throws InvalidSessionDataException if the meta does not describe {@code ref} or has
	 * an end reason the table refuses
	 */
	static ArchiveRow of(SessionRef ref, SessionMeta meta, long claimedCount) {
		if (!ref.sessionId().equals(meta.sessionId()) || !ref.code().equals(meta.code())) {
			throw new InvalidSessionDataException("Meta hash of " + ref.member() + " describes " + meta.code() + " "
					+ meta.sessionId(), null);
		}
		if (!END_REASONS.contains(meta.effectiveEndReason())) {
			throw new InvalidSessionDataException(
					"Meta hash of " + ref.member() + " has end reason '" + meta.effectiveEndReason() + "'", null);
		}
		String metadata = meta.metadata();
		boolean wrapped = metadata != null
				&& !StoredEntries.isStorableObject(metadata.getBytes(StandardCharsets.UTF_8));
		return new ArchiveRow(ref, meta, wrapped ? StoredEntries.malformedObject(metadata) : metadata, wrapped, claimedCount,
				List.of());
	}

	/** The same row with one more chunk. */
	ArchiveRow with(ArchiveChunk chunk) {
		List<ArchiveChunk> chunks = new ArrayList<>(this.chunks.size() + 1);
		chunks.addAll(this.chunks);
		chunks.add(chunk);
		return new ArchiveRow(this.ref, this.meta, this.metadata, this.metadataWrapped, this.claimedCount,
				List.copyOf(chunks));
	}

	/** The same row with other chunks (salvaged) and possibly the metadata wrapped. */
	ArchiveRow with(List<ArchiveChunk> chunks, boolean wrapMetadata) {
		if (wrapMetadata && !this.metadataWrapped && this.metadata != null) {
			return new ArchiveRow(this.ref, this.meta, StoredEntries.malformedObject(this.metadata), true,
					this.claimedCount, List.copyOf(chunks));
		}
		return new ArchiveRow(this.ref, this.meta, this.metadata, this.metadataWrapped, this.claimedCount,
				List.copyOf(chunks));
	}

	long messageCount() {
		long count = 0;
		for (ArchiveChunk chunk : this.chunks) {
			count += chunk.size();
		}
		return count;
	}

	int malformed() {
		int malformed = 0;
		for (ArchiveChunk chunk : this.chunks) {
			malformed += chunk.malformed();
		}
		return malformed;
	}

	long bytes() {
		long bytes = 0;
		for (ArchiveChunk chunk : this.chunks) {
			bytes += chunk.bytes();
		}
		return bytes;
	}

	/** How many messages its archive holds: those read, or those claimed while none is read. */
	long expectedCount() {
		return this.chunks.isEmpty() ? this.claimedCount : messageCount();
	}

	/** Whether all claimed messages have been read. */
	boolean complete() {
		return messageCount() >= this.claimedCount;
	}

	/** The seq the next chunk starts at. */
	long nextSeq() {
		return messageCount() + 1;
	}

	/** A row is its instance's archive: equal by instance, so hashing it never touches the messages. */
	@Override
	public boolean equals(Object other) {
		return other instanceof ArchiveRow row && this.ref.equals(row.ref);
	}

	@Override
	public int hashCode() {
		return this.ref.hashCode();
	}

}
