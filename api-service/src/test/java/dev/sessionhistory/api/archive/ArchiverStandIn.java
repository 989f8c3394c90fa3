package dev.sessionhistory.api.archive;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.sessionhistory.model.ClaimReply;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionMeta;
import dev.sessionhistory.model.SessionScripts;
import dev.sessionhistory.model.SliceReply;
import dev.sessionhistory.model.StoredEntries;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Archives an ended session instance the way the archiver does, so the API's tests do not
 * depend on the worker running: claim it, read its messages in windows of the slice
 * script (at most {@value #CHUNK_COUNT} messages and {@value #CHUNK_BYTES} bytes of them,
 * a larger message alone), store each window as one chunk of {@code session_history_chunk}
 * together with the {@code session_history} row in one statement, its owner and
 * participants as rows of {@code session_participant}, then purge it.
 * <p>
 * The statement is its own, not one of {@link ArchiveTable}'s: the API only reads the
 * archive, so its table owner has no write to share, and the archiver-worker's writer is
 * part of another application, which the API's tests do not depend on. Both tables come
 * from the shared migrations, and every row written here is read back through
 * {@link ArchiveTable} by the tests that use it, so a column the two disagree on fails them.
 */
public final class ArchiverStandIn {

	/** The most messages of one chunk. */
	public static final int CHUNK_COUNT = 128;

	/** The most message bytes (commas not counted) of a chunk of several messages. */
	public static final int CHUNK_BYTES = 256 * 1024;

	private static final String WORKER = "stand-in";

	private static final long CLAIM_TTL_MILLIS = 30_000;

	private final StringRedisTemplate redis;

	private final JdbcClient jdbc;

	private final RedisKeys keys;

	public ArchiverStandIn(StringRedisTemplate redis, JdbcClient jdbc, RedisKeys keys) {
		this.redis = redis;
		this.jdbc = jdbc;
		this.keys = keys;
	}

	/** Archives the instance, which must have ended. */
	public void archive(String code, UUID sessionId) {
		SessionRef ref = new SessionRef(code, sessionId);
		ClaimReply claimed = SessionScripts.claim(this.keys, ref, WORKER, CLAIM_TTL_MILLIS).run(this.redis);
		if (claimed.outcome() != ClaimReply.Outcome.CLAIMED) {
			throw new IllegalStateException("Cannot archive " + ref.member() + ": " + claimed);
		}
		long count = claimed.messageCount();
		SessionMeta meta = SessionMeta.fromValues(claimed.meta());
		List<Integer> firstSeqs = new ArrayList<>();
		List<Integer> lastSeqs = new ArrayList<>();
		List<String> chunks = new ArrayList<>();
		long bytes = 0;
		int next = 1;
		while (next <= count) {
			SliceReply window = SessionScripts
				.slice(this.keys, ref, WORKER, CLAIM_TTL_MILLIS, next, CHUNK_COUNT, CHUNK_BYTES)
				.run(this.redis);
			if (window.outcome() != SliceReply.Outcome.SLICE || window.entries().isEmpty()) {
				throw new IllegalStateException("Cannot read " + ref.member() + " from seq " + next);
			}
			// Judged by the stored bytes and wrapped as the worker does.
			List<String> messages = new ArrayList<>();
			for (byte[] entry : window.entries()) {
				bytes += entry.length;
				byte[] element = StoredEntries.isStorableObject(entry) ? entry
						: StoredEntries.malformed(next + messages.size(), entry);
				messages.add(new String(element, StandardCharsets.UTF_8));
			}
			firstSeqs.add(next);
			lastSeqs.add(next + messages.size() - 1);
			chunks.add("[" + String.join(",", messages) + "]");
			next += messages.size();
		}
		// One statement: the chunks are written with their row or not at all.
		this.jdbc.sql("""
				WITH archived AS (
				    INSERT INTO session_history (session_id, session_code, message_count, message_bytes, created_at,
				        ended_at, end_reason, metadata, owner_id, token_epoch)
				    VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
				    ON CONFLICT (session_id) DO NOTHING
				    RETURNING session_id
				)
				INSERT INTO session_history_chunk (session_id, first_seq, last_seq, messages_raw)
				SELECT archived.session_id, chunk.first_seq, chunk.last_seq, chunk.messages_raw::json
				FROM archived, unnest(?::int[], ?::int[], ?::text[]) AS chunk(first_seq, last_seq, messages_raw)
				""")
			.params(sessionId, code, count, bytes, meta.createdAt().atOffset(ZoneOffset.UTC),
					meta.effectiveEndedAt().atOffset(ZoneOffset.UTC), meta.effectiveEndReason(), meta.metadata(),
					meta.owner().orElse(null), meta.tokenEpoch(), firstSeqs.toArray(new Integer[0]), lastSeqs.toArray(new Integer[0]), chunks.toArray(new String[0]))
			.update();
		// Its users, as the worker writes them: the owner with every right, each participant with theirs.
		Map<String, String> users = new LinkedHashMap<>();
		meta.owner().ifPresent((owner) -> users.put(owner, "owner"));
		this.redis.<String, String>opsForHash()
			.entries(this.keys.participants(code, sessionId))
			.forEach((user, rights) -> users.putIfAbsent(user, rights));
		users.forEach((user, rights) -> this.jdbc.sql("""
				INSERT INTO session_participant (session_id, user_id, role, rights, code, created_at, ended_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT DO NOTHING
				""")
			.params(sessionId, user, "owner".equals(rights) ? "owner" : "participant",
					"owner".equals(rights) ? "read,append,end" : rights, code, meta.createdAt().atOffset(ZoneOffset.UTC),
					meta.effectiveEndedAt().atOffset(ZoneOffset.UTC))
			.update());
		SessionScripts.purge(this.keys, ref).run(this.redis);
		this.redis.opsForZSet().remove(this.keys.due(ref.code()), ref.member());
	}

}
