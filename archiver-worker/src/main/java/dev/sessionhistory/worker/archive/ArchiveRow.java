package dev.sessionhistory.worker.archive;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.sessionhistory.model.InvalidSessionDataException;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionMeta;

/**
 * One row of {@code session_history}, built from a claimed instance.
 *
 * @param ref the instance
 * @param meta its meta hash
 * @param entries the message list as stored in Redis
 * @param elements the elements of {@code messages_raw}: each entry as it is, or wrapped
 * as a malformed message when it cannot be stored as it is
 * @param malformed how many entries were wrapped
 * @param metadata the metadata JSON object to store, or {@code null}
 */
record ArchiveRow(SessionRef ref, SessionMeta meta, List<String> entries, List<String> elements, int malformed,
		String metadata) {

	private static final Set<String> END_REASONS = Set.of(SessionMeta.REASON_ENDED, SessionMeta.REASON_EXPIRED);

	/**
	 * @throws InvalidSessionDataException if the meta does not describe {@code ref} or has
	 * an end reason the table refuses
	 */
	static ArchiveRow of(SessionRef ref, SessionMeta meta, List<String> entries) {
		if (!ref.sessionId().equals(meta.sessionId()) || !ref.code().equals(meta.code())) {
			throw new InvalidSessionDataException("Meta hash of " + ref.member() + " describes " + meta.code() + " "
					+ meta.sessionId(), null);
		}
		if (!END_REASONS.contains(meta.effectiveEndReason())) {
			throw new InvalidSessionDataException(
					"Meta hash of " + ref.member() + " has end reason '" + meta.effectiveEndReason() + "'", null);
		}
		List<String> elements = new ArrayList<>(entries.size());
		int malformed = 0;
		for (int i = 0; i < entries.size(); i++) {
			String entry = entries.get(i);
			if (JsonText.isStorableObject(entry)) {
				elements.add(entry);
			}
			else {
				elements.add(JsonText.malformedMessage(i + 1, entry));
				malformed++;
			}
		}
		String metadata = meta.metadata();
		if (metadata != null && !JsonText.isStorableObject(metadata)) {
			metadata = JsonText.malformedObject(metadata);
		}
		return new ArchiveRow(ref, meta, entries, List.copyOf(elements), malformed, metadata);
	}

	/**
	 * The same row with more entries wrapped, for values PostgreSQL refused although
	 * {@link JsonText#isStorableObject} passed them (a server with a smaller stack than the
	 * nesting limit assumes, for example).
	 * @param refused indexes of the entries to wrap
	 * @param metadataRefused whether to wrap the metadata too
	 */
	ArchiveRow wrapping(Set<Integer> refused, boolean metadataRefused) {
		List<String> wrapped = new ArrayList<>(this.elements);
		int malformed = this.malformed;
		for (int i : refused) {
			wrapped.set(i, JsonText.malformedMessage(i + 1, this.entries.get(i)));
			malformed++;
		}
		String metadata = (metadataRefused && this.metadata != null) ? JsonText.malformedObject(this.meta.metadata())
				: this.metadata;
		return new ArchiveRow(this.ref, this.meta, this.entries, List.copyOf(wrapped), malformed, metadata);
	}

	/** {@code messages_raw}: the elements joined in a JSON array; element i has seq i+1. */
	String messagesJson() {
		int length = 2 + this.elements.size();
		for (String element : this.elements) {
			length += element.length();
		}
		StringBuilder json = new StringBuilder(length).append('[');
		for (int i = 0; i < this.elements.size(); i++) {
			if (i > 0) {
				json.append(',');
			}
			json.append(this.elements.get(i));
		}
		return json.append(']').toString();
	}

	int messageCount() {
		return this.elements.size();
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
