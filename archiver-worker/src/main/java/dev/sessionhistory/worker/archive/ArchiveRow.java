package dev.sessionhistory.worker.archive;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.sessionhistory.model.InvalidSessionDataException;
import dev.sessionhistory.model.Participant;
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
 * @param participants the entries of its users hash, read after the claim
 * @param chunks its messages in windows, ascending seq; empty until read
 */
record ArchiveRow(SessionRef ref, SessionMeta meta, String metadata, boolean metadataWrapped, long claimedCount,
		List<Participant> participants, List<ArchiveChunk> chunks) {

	/** The roles of {@code session_participant}. */
	static final String OWNER = "owner";

	static final String PARTICIPANT = "participant";

	private static final Set<String> END_REASONS = Set.of(SessionMeta.REASON_ENDED, SessionMeta.REASON_EXPIRED);

	/**
	 * @throws InvalidSessionDataException if the meta does not describe {@code ref} or has
	 * an end reason or token epoch the table refuses
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
		if (meta.tokenEpoch() > Integer.MAX_VALUE) {
			throw new InvalidSessionDataException(
					"Meta hash of " + ref.member() + " has token epoch " + meta.tokenEpoch() + ", past an integer", null);
		}
		String metadata = meta.metadata();
		boolean wrapped = metadata != null
				&& !StoredEntries.isStorableObject(metadata.getBytes(StandardCharsets.UTF_8));
		return new ArchiveRow(ref, meta, wrapped ? StoredEntries.malformedObject(metadata) : metadata, wrapped, claimedCount,
				List.of(), List.of());
	}

	/** The same row with its participants. */
	ArchiveRow withParticipants(List<Participant> participants) {
		return new ArchiveRow(this.ref, this.meta, this.metadata, this.metadataWrapped, this.claimedCount,
				List.copyOf(participants), this.chunks);
	}

	/**
	 * The rows of {@code session_participant}: the owner first, with every right, then each
	 * participant but the owner (a foreign writer's users hash may name the owner too).
	 */
	List<User> users() {
		List<User> users = new ArrayList<>(this.participants.size() + 1);
		String owner = this.meta.owner().orElse(null);
		if (owner != null) {
			users.add(new User(this.ref.sessionId(), owner, OWNER, Participant.ALL));
		}
		for (Participant participant : this.participants) {
			if (!participant.userId().equals(owner)) {
				users.add(new User(this.ref.sessionId(), participant.userId(), PARTICIPANT, participant.rights()));
			}
		}
		return users;
	}

	/** The same row with one more chunk. */
	ArchiveRow with(ArchiveChunk chunk) {
		List<ArchiveChunk> chunks = new ArrayList<>(this.chunks.size() + 1);
		chunks.addAll(this.chunks);
		chunks.add(chunk);
		return new ArchiveRow(this.ref, this.meta, this.metadata, this.metadataWrapped, this.claimedCount,
				this.participants, List.copyOf(chunks));
	}

	/** The same row with other chunks (salvaged) and possibly the metadata wrapped. */
	ArchiveRow with(List<ArchiveChunk> chunks, boolean wrapMetadata) {
		if (wrapMetadata && !this.metadataWrapped && this.metadata != null) {
			return new ArchiveRow(this.ref, this.meta, StoredEntries.malformedObject(this.metadata), true,
					this.claimedCount, this.participants, List.copyOf(chunks));
		}
		return new ArchiveRow(this.ref, this.meta, this.metadata, this.metadataWrapped, this.claimedCount,
				this.participants, List.copyOf(chunks));
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

	/**
	 * One row of {@code session_participant}.
	 *
	 * @param sessionId the archived instance
	 * @param userId the user
	 * @param role {@link #OWNER} or {@link #PARTICIPANT}
	 * @param rights the rights, as stored
	 */
	record User(UUID sessionId, String userId, String role, String rights) {
	}

}
