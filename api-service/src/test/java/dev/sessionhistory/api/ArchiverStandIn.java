package dev.sessionhistory.api;

import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.SessionMeta;
import dev.sessionhistory.model.SessionScripts;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Archives an ended session instance the way the archiver does (claim, insert the row with
 * {@code messages_raw} = the stored strings joined in an array, then purge), so the API's
 * tests do not depend on the worker running.
 */
public final class ArchiverStandIn {

	private final StringRedisTemplate redis;

	private final JdbcClient jdbc;

	private final RedisKeys keys;

	public ArchiverStandIn(StringRedisTemplate redis, JdbcClient jdbc, RedisKeys keys) {
		this.redis = redis;
		this.jdbc = jdbc;
		this.keys = keys;
	}

	/** Archives the instance, which must have ended. */
	@SuppressWarnings("unchecked")
	public void archive(String code, UUID sessionId) {
		List<String> claimed = this.redis.execute(SessionScripts.CLAIM,
				List.of(this.keys.live(code), this.keys.meta(code, sessionId), this.keys.messages(code, sessionId),
						this.keys.claim(code, sessionId)),
				sessionId.toString(), "stand-in", "30000");
		if (!"CLAIMED".equals(claimed.get(0))) {
			throw new IllegalStateException("Cannot archive " + code + " " + sessionId + ": " + claimed);
		}
		int metaEnd = 1 + SessionMeta.FIELDS.size();
		SessionMeta meta = SessionMeta.fromValues(claimed.subList(1, metaEnd));
		List<String> messages = claimed.subList(metaEnd, claimed.size());
		this.jdbc.sql("""
				INSERT INTO session_history (session_id, session_code, messages_raw, message_count, created_at,
				    ended_at, end_reason, metadata)
				VALUES (?, ?, ?::json, ?, ?, ?, ?, ?::jsonb)
				ON CONFLICT (session_id) DO NOTHING
				""")
			.params(sessionId, code, "[" + String.join(",", messages) + "]", messages.size(),
					meta.createdAt().atOffset(ZoneOffset.UTC), meta.effectiveEndedAt().atOffset(ZoneOffset.UTC),
					meta.effectiveEndReason(), meta.metadata())
			.update();
		this.redis.execute(SessionScripts.PURGE,
				List.of(this.keys.live(code), this.keys.meta(code, sessionId), this.keys.messages(code, sessionId),
						this.keys.messageIds(code, sessionId), this.keys.claim(code, sessionId),
						this.keys.pending(code)),
				sessionId.toString());
		this.redis.opsForZSet().remove(this.keys.due(), new RedisKeys.SessionRef(code, sessionId).member());
	}

}
