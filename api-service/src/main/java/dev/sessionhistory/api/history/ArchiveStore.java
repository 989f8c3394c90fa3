package dev.sessionhistory.api.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sessionhistory.api.system.HistoryProperties;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Archived histories from {@code session_history} and {@code session_history_chunk}, read
 * one archive's directory and then only the chunks a page needs, never a whole archive.
 * <p>
 * Directories and chunks never change, so both are kept in one Caffeine cache weighed in
 * bytes ({@code history.archive-cache.max-size}). A miss is loaded outside the cache's
 * locks (two threads may load the same immutable value; either copy is right), so no
 * thread waits on PostgreSQL while holding one. Which archive is the latest of a code is
 * always asked of PostgreSQL, as a new one may appear at any time.
 */
@Repository
class ArchiveStore {

	/**
	 * One archive's directory, without touching a message: only the chunks' keys are read,
	 * never their (TOASTed) texts.
	 */
	static final String DIRECTORY_SQL = """
			SELECT h.session_code, h.message_count, c.first_seq, c.last_seq
			FROM session_history h
			LEFT JOIN session_history_chunk c ON c.session_id = h.session_id
			WHERE h.session_id = ?
			ORDER BY c.first_seq
			""";

	/** Some chunks of one archive, by primary key: {@code (session_id, first_seq = ANY(?))}. */
	static final String CHUNKS_SQL = """
			SELECT first_seq, last_seq, messages_raw
			FROM session_history_chunk
			WHERE session_id = ? AND first_seq = ANY(?)
			""";

	private final JdbcClient jdbc;

	private final Cache<Key, Weighed> cache;

	private final LongAdder fetchedChunks = new LongAdder();

	private final LongAdder fetchedBytes = new LongAdder();

	ArchiveStore(JdbcClient jdbc, HistoryProperties properties) {
		this.jdbc = jdbc;
		this.cache = Caffeine.newBuilder()
			.maximumWeight(properties.archiveCache().maxSize().toBytes())
			.weigher((Key key, Weighed value) -> value.weight())
			// evict on the calling thread, so the bound holds when a read returns
			.executor(Runnable::run)
			.build();
	}

	Optional<UUID> latestSessionId(String code) {
		return this.jdbc.sql("""
				SELECT session_id FROM session_history
				WHERE session_code = ?
				ORDER BY ended_at DESC, id DESC
				LIMIT 1
				""").param(code).query(UUID.class).optional();
	}

	/** The directory of an instance's archive, if it has one and it belongs to {@code code}. */
	Optional<ArchivedHistory> find(String code, UUID sessionId) {
		Key key = new Key(sessionId, 0);
		ArchivedHistory history = (ArchivedHistory) this.cache.getIfPresent(key);
		if (history == null) {
			history = loadDirectory(sessionId).orElse(null);
			if (history == null) {
				return Optional.empty();
			}
			this.cache.put(key, history);
		}
		return history.code().equals(code) ? Optional.of(history) : Optional.empty();
	}

	/**
	 * Chunks {@code from} to {@code to} (indexes in the directory, inclusive) of an archive,
	 * ascending; the ones not in the cache come from PostgreSQL in one query.
	 */
	List<ArchiveChunk> chunks(ArchivedHistory history, int from, int to) {
		List<Key> keys = new ArrayList<>(to - from + 1);
		for (int i = from; i <= to; i++) {
			keys.add(new Key(history.sessionId(), history.firstSeqs()[i]));
		}
		Map<Key, Weighed> found = new HashMap<>(this.cache.getAllPresent(keys));
		if (found.size() < keys.size()) {
			int[] missing = keys.stream().filter((key) -> !found.containsKey(key)).mapToInt(Key::firstSeq).toArray();
			Map<Key, ArchiveChunk> loaded = loadChunks(history.sessionId(), missing);
			this.cache.putAll(loaded);
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

	/** Chunks read from PostgreSQL since start-up, for tests and diagnosis. */
	long fetchedChunks() {
		return this.fetchedChunks.sum();
	}

	/** Bytes of chunk text read from PostgreSQL since start-up. */
	long fetchedBytes() {
		return this.fetchedBytes.sum();
	}

	private Optional<ArchivedHistory> loadDirectory(UUID sessionId) {
		return this.jdbc.sql(DIRECTORY_SQL).param(sessionId).query((rs) -> {
			if (!rs.next()) {
				return Optional.<ArchivedHistory>empty();
			}
			String code = rs.getString("session_code");
			int total = rs.getInt("message_count");
			List<int[]> bounds = new ArrayList<>();
			do {
				Integer first = rs.getObject("first_seq", Integer.class);
				if (first != null) {
					bounds.add(new int[] { first, rs.getInt("last_seq") });
				}
			}
			while (rs.next());
			int[] firstSeqs = bounds.stream().mapToInt((chunk) -> chunk[0]).toArray();
			int[] lastSeqs = bounds.stream().mapToInt((chunk) -> chunk[1]).toArray();
			return Optional.of(new ArchivedHistory(sessionId, code, total, firstSeqs, lastSeqs));
		});
	}

	private Map<Key, ArchiveChunk> loadChunks(UUID sessionId, int[] firstSeqs) {
		Map<Key, ArchiveChunk> chunks = new HashMap<>();
		this.jdbc.sql(CHUNKS_SQL).param(sessionId).param(firstSeqs).query((rs) -> {
			byte[] raw = rs.getBytes("messages_raw");
			ArchiveChunk chunk = ArchiveChunk.of(sessionId, rs.getInt("first_seq"), rs.getInt("last_seq"), raw);
			chunks.put(new Key(sessionId, chunk.firstSeq()), chunk);
			this.fetchedChunks.increment();
			this.fetchedBytes.add(raw.length);
		});
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
