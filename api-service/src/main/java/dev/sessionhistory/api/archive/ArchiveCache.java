package dev.sessionhistory.api.archive;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sessionhistory.api.system.HistoryProperties;

import org.springframework.stereotype.Component;

/**
 * Archived histories for their pages, from {@link ArchiveTable}: one archive's directory,
 * then only the chunks a page needs, never a whole archive.
 * <p>
 * Directories and chunks change only by an erasure, so both are kept in one Caffeine cache
 * weighed in bytes ({@code history.archive-cache.max-size}) until an erasure names their
 * instance ({@link #evict}, on every replica from the erasure log). A miss is loaded outside
 * the cache's locks (two threads may load the same value; either copy is right), so no
 * thread waits on PostgreSQL while holding one; a load that read an archive before its
 * erasure committed and stores it after the eviction is dropped, as the instances evicted
 * in the last minutes are remembered. Which archive is the latest of a code is always asked
 * of PostgreSQL, as a new one may appear at any time.
 */
@Component
public class ArchiveCache {

	private final ArchiveTable table;

	private final Cache<Key, Weighed> cache;

	/** Instances evicted lately: what a load in flight during their eviction must not keep. */
	private final Cache<UUID, Boolean> evicted = Caffeine.newBuilder()
		.expireAfterWrite(Duration.ofMinutes(5))
		.maximumSize(1_000_000)
		.build();

	/** Cached archives that ended before this are not served: retention deletes them. */
	private volatile Instant retainedFrom = Instant.MIN;

	private final LongAdder fetchedChunks = new LongAdder();

	private final LongAdder fetchedBytes = new LongAdder();

	ArchiveCache(ArchiveTable table, HistoryProperties properties) {
		this.table = table;
		this.cache = Caffeine.newBuilder()
			.maximumWeight(properties.archiveCache().maxSize().toBytes())
			.weigher((Key key, Weighed value) -> value.weight())
			// evict on the calling thread, so the bound holds when a read returns
			.executor(Runnable::run)
			.build();
	}

	/** The instance of a code's latest archive, asked of PostgreSQL every time. */
	public Optional<UUID> latestSessionId(String code) {
		return this.table.findLatest(code).map(ArchivedSession::sessionId);
	}

	/** The directory of an instance's archive, if it has one and it belongs to {@code code}. */
	public Optional<ArchivedHistory> find(String code, UUID sessionId) {
		Key key = new Key(sessionId, 0);
		ArchivedHistory history = (ArchivedHistory) this.cache.getIfPresent(key);
		if (history != null && history.endedAt().isBefore(this.retainedFrom)) {
			this.cache.asMap().keySet().removeIf((cached) -> cached.sessionId().equals(sessionId));
			history = null;
		}
		if (history == null) {
			history = this.table.directory(sessionId).orElse(null);
			if (history == null) {
				return Optional.empty();
			}
			this.cache.put(key, history);
			dropIfEvicted(sessionId);
		}
		return history.code().equals(code) ? Optional.of(history) : Optional.empty();
	}

	/**
	 * Chunks {@code from} to {@code to} (indexes in the directory, inclusive) of an archive,
	 * ascending; the ones not in the cache come from PostgreSQL in one query.
	 */
	public List<ArchiveChunk> chunks(ArchivedHistory history, int from, int to) {
		List<Key> keys = new ArrayList<>(to - from + 1);
		for (int i = from; i <= to; i++) {
			keys.add(new Key(history.sessionId(), history.firstSeqs()[i]));
		}
		Map<Key, Weighed> found = new HashMap<>(this.cache.getAllPresent(keys));
		if (found.size() < keys.size()) {
			int[] missing = keys.stream().filter((key) -> !found.containsKey(key)).mapToInt(Key::firstSeq).toArray();
			Map<Key, ArchiveChunk> loaded = loadChunks(history.sessionId(), missing);
			this.cache.putAll(loaded);
			dropIfEvicted(history.sessionId());
			found.putAll(loaded);
		}
		List<ArchiveChunk> chunks = new ArrayList<>(keys.size());
		for (int i = 0; i < keys.size(); i++) {
			ArchiveChunk chunk = (ArchiveChunk) found.get(keys.get(i));
			if (chunk == null || chunk.lastSeq() != history.lastSeqs()[from + i]) {
				throw ArchivedHistory.broken(history.sessionId(),
						"chunk " + keys.get(i).firstSeq() + " is missing or changed since its directory was read");
			}
			chunks.add(chunk);
		}
		return chunks;
	}

	/**
	 * Forgets everything cached of these instances (erased, or their messages rewritten), and
	 * keeps any load in flight from storing it again.
	 */
	public void evict(Collection<UUID> sessionIds) {
		if (sessionIds.isEmpty()) {
			return;
		}
		Set<UUID> ids = Set.copyOf(sessionIds);
		ids.forEach((id) -> this.evicted.put(id, Boolean.TRUE));
		this.cache.asMap().keySet().removeIf((key) -> ids.contains(key.sessionId()));
	}

	/**
	 * Stops serving cached archives whose session ended before {@code bound}, which the
	 * worker's retention deletes; they are asked of PostgreSQL again.
	 */
	public void retainFrom(Instant bound) {
		if (bound.isAfter(this.retainedFrom)) {
			this.retainedFrom = bound;
		}
	}

	/** Forgets every cached archive: when erasures may have been missed. */
	public void evictAll() {
		this.cache.invalidateAll();
	}

	private void dropIfEvicted(UUID sessionId) {
		if (this.evicted.getIfPresent(sessionId) != null) {
			this.cache.asMap().keySet().removeIf((key) -> key.sessionId().equals(sessionId));
		}
	}

	/** Chunks read from PostgreSQL since start-up, for tests and diagnosis. */
	long fetchedChunks() {
		return this.fetchedChunks.sum();
	}

	/** Bytes of chunk text read from PostgreSQL since start-up. */
	long fetchedBytes() {
		return this.fetchedBytes.sum();
	}

	private Map<Key, ArchiveChunk> loadChunks(UUID sessionId, int[] firstSeqs) {
		Map<Key, ArchiveChunk> chunks = new HashMap<>();
		for (ArchiveChunk chunk : this.table.chunks(sessionId, firstSeqs)) {
			chunks.put(new Key(sessionId, chunk.firstSeq()), chunk);
			this.fetchedChunks.increment();
			this.fetchedBytes.add(chunk.messagesRaw().length);
		}
		return chunks;
	}

	/** What the cache charges for a value, in bytes. */
	interface Weighed {

		int weight();

	}

	/**
	 * @param sessionId the archive
	 * @param firstSeq the first seq of a chunk, or 0 for the archive's directory
	 */
	private record Key(UUID sessionId, int firstSeq) {
	}

}
