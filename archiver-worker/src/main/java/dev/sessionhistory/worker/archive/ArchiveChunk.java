package dev.sessionhistory.worker.archive;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.sessionhistory.model.StoredEntries;
import dev.sessionhistory.model.Tombstones;

/**
 * One row of {@code session_history_chunk}: consecutive messages of an archive, as read in
 * one window of the slice script. Windows are bounded by {@link #MAX_MESSAGES} and
 * {@link #MAX_BYTES}, so neither Redis nor this worker ever holds more than that of a
 * session at once, and an API page reads one or two chunks.
 *
 * @param firstSeq the seq of its first message
 * @param entries the entries as stored in Redis, decoded (an invalid UTF-8 sequence as U+FFFD)
 * @param elements the elements of {@code messages_raw}: each entry as it is, or wrapped as
 * a malformed message when it cannot be stored as it is
 * @param malformed how many entries were wrapped
 */
record ArchiveChunk(long firstSeq, List<String> entries, List<String> elements, int malformed) {

	static final int MAX_MESSAGES = 128;

	static final long MAX_BYTES = 256 * 1024;

	/**
	 * Judges the entries by their stored bytes, exactly as the live read does, so an entry
	 * is wrapped in the archive if and only if it is wrapped live.
	 */
	static ArchiveChunk of(long firstSeq, List<byte[]> stored) {
		List<String> entries = new ArrayList<>(stored.size());
		List<String> elements = new ArrayList<>(stored.size());
		int malformed = 0;
		for (int i = 0; i < stored.size(); i++) {
			byte[] entry = stored.get(i);
			String text = new String(entry, StandardCharsets.UTF_8);
			entries.add(text);
			if (StoredEntries.isStorableObject(entry)) {
				elements.add(text);
			}
			else {
				elements.add(new String(StoredEntries.malformed(firstSeq + i, entry), StandardCharsets.UTF_8));
				malformed++;
			}
		}
		return new ArchiveChunk(firstSeq, List.copyOf(entries), List.copyOf(elements), malformed);
	}

	/**
	 * The same chunk with more entries wrapped, for values PostgreSQL refused although they
	 * are well-formed.
	 * @param refused indexes (within the chunk) of the entries to wrap
	 */
	ArchiveChunk wrapping(Set<Integer> refused) {
		List<String> wrapped = new ArrayList<>(this.elements);
		int malformed = this.malformed;
		for (int i : refused) {
			wrapped.set(i, StoredEntries.malformed(this.firstSeq + i, this.entries.get(i)));
			malformed++;
		}
		return new ArchiveChunk(this.firstSeq, this.entries, List.copyOf(wrapped), malformed);
	}

	/**
	 * The same chunk with the messages of {@code users} replaced by tombstones
	 * ({@link Tombstones}), in the archive as in Redis after {@code redact.lua}.
	 */
	ArchiveChunk erasing(Set<String> users) {
		List<String> entries = new ArrayList<>(this.entries);
		List<String> elements = new ArrayList<>(this.elements);
		int malformed = this.malformed;
		for (int i = 0; i < entries.size(); i++) {
			String entry = entries.get(i);
			if (users.stream().anyMatch((user) -> Tombstones.writtenBy(entry, user))) {
				if (!elements.get(i).equals(entry)) {
					malformed--;
				}
				String tombstone = Tombstones.of(this.firstSeq + i);
				entries.set(i, tombstone);
				elements.set(i, tombstone);
			}
		}
		return new ArchiveChunk(this.firstSeq, List.copyOf(entries), List.copyOf(elements), malformed);
	}

	long lastSeq() {
		return this.firstSeq + this.elements.size() - 1;
	}

	int size() {
		return this.elements.size();
	}

	/** {@code messages_raw}: the elements joined in a JSON array. */
	String json() {
		return join(this.elements);
	}

	/** The bytes of the stored entries, about: UTF-16 units. */
	long bytes() {
		long bytes = 0;
		for (String entry : this.entries) {
			bytes += entry.length();
		}
		return bytes;
	}

	static String join(List<String> elements) {
		int length = 2 + elements.size();
		for (String element : elements) {
			length += element.length();
		}
		StringBuilder json = new StringBuilder(length).append('[');
		for (int i = 0; i < elements.size(); i++) {
			if (i > 0) {
				json.append(',');
			}
			json.append(elements.get(i));
		}
		return json.append(']').toString();
	}

}
