package dev.sessionhistory.api.history;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.sessionhistory.api.system.HistoryProperties;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Archived histories from {@code session_history}, read as the raw text of
 * {@code messages_raw}.
 * <p>
 * Archives never change, so the last used ones are kept in memory: a least recently used
 * map from session id to its {@link ArchivedHistory} (message text and offsets), bounded
 * by the total size of that text ({@code history.archive-cache.max-size}); archives too
 * large to read whole are remembered by their size only. Which archive is
 * the latest of a code is always asked of PostgreSQL, as a new one may appear at any time.
 */
@Repository
class ArchiveStore {

	private final JdbcClient jdbc;

	private final long maxWeight;

	private final long maxRowSize;

	private final Map<UUID, ArchivedHistory> cache = new LinkedHashMap<>(64, 0.75f, true);

	private long weight;

	ArchiveStore(JdbcClient jdbc, HistoryProperties properties) {
		this.jdbc = jdbc;
		this.maxWeight = properties.archiveCache().maxSize().toBytes();
		this.maxRowSize = properties.archiveCache().maxRowSize().toBytes();
	}

	Optional<UUID> latestSessionId(String code) {
		return this.jdbc.sql("""
				SELECT session_id FROM session_history
				WHERE session_code = ?
				ORDER BY ended_at DESC, id DESC
				LIMIT 1
				""").param(code).query(UUID.class).optional();
	}

	/**
	 * The archive of an instance, if it belongs to {@code code}. An archive stored larger
	 * than {@code history.archive-cache.max-row-size} is not read whole (PostgreSQL does not
	 * even detoast it here): only its size, and pages come from {@link #slice}.
	 */
	Optional<ArchivedHistory> find(String code, UUID sessionId) {
		ArchivedHistory cached = cached(sessionId);
		if (cached == null) {
			cached = this.jdbc.sql("""
					SELECT session_code, message_count,
					       CASE WHEN pg_column_size(messages_raw) <= ? THEN messages_raw END AS messages_raw
					FROM session_history
					WHERE session_id = ?
					""")
				.param(this.maxRowSize)
				.param(sessionId)
				.query((rs, row) -> {
					byte[] raw = rs.getBytes("messages_raw");
					return (raw != null) ? ArchivedHistory.of(sessionId, rs.getString("session_code"), raw)
							: ArchivedHistory.large(sessionId, rs.getString("session_code"), rs.getInt("message_count"));
				})
				.optional()
				.orElse(null);
			if (cached == null) {
				return Optional.empty();
			}
			remember(cached);
		}
		return cached.code().equals(code) ? Optional.of(cached) : Optional.empty();
	}

	/** Messages {@code from + 1} to {@code to} (seqs) of an archive, joined with commas, as stored. */
	byte[] slice(UUID sessionId, HistoryQuery.Bounds bounds) {
		String slice = this.jdbc.sql("""
				SELECT string_agg(m.message::text, ',' ORDER BY m.seq)
				FROM session_history, json_array_elements(messages_raw) WITH ORDINALITY AS m(message, seq)
				WHERE session_id = ? AND m.seq > ? AND m.seq <= ?
				""").param(sessionId).param(bounds.from()).param(bounds.to()).query(String.class).single();
		return (slice != null) ? slice.getBytes(StandardCharsets.UTF_8) : new byte[0];
	}

	private synchronized ArchivedHistory cached(UUID sessionId) {
		return this.cache.get(sessionId);
	}

	private synchronized void remember(ArchivedHistory history) {
		if (history.weight() > this.maxWeight || this.cache.containsKey(history.sessionId())) {
			return;
		}
		this.cache.put(history.sessionId(), history);
		this.weight += history.weight();
		var eldest = this.cache.entrySet().iterator();
		while (this.weight > this.maxWeight && eldest.hasNext()) {
			this.weight -= eldest.next().getValue().weight();
			eldest.remove();
		}
	}

}
