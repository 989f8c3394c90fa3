package dev.sessionhistory.api.live;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.model.CreateReply;
import dev.sessionhistory.model.EndReply;
import dev.sessionhistory.model.EraseReply;
import dev.sessionhistory.model.InvalidSessionDataException;
import dev.sessionhistory.model.JoinReply;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.RevokeReply;
import dev.sessionhistory.model.SessionMeta;
import dev.sessionhistory.model.SessionScripts;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisZSetCommands.ZAddArgs;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The session instances in Redis: the live one of a code and the ended ones waiting for
 * their archive. Every key comes from {@link RedisKeys}; every multi-key change is one of
 * the {@link SessionScripts}.
 */
@Component
public class LiveSessions {

	private static final long PENDING_READ = 16;

	/**
	 * How many codes' current instances are remembered, so that reading a live session
	 * takes one round trip. A code forgotten (or never seen) costs one more round trip, once.
	 */
	private static final int REMEMBERED_CODES = 16_384;

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final long safetyTtlSeconds;

	/**
	 * The last current instance seen of each code: only what {@code read.lua} is asked to
	 * expect, which it checks, so a stale entry costs a round trip and never a wrong page.
	 */
	private final Cache<String, UUID> currentIds = Caffeine.newBuilder().maximumSize(REMEMBERED_CODES).build();

	LiveSessions(StringRedisTemplate redis, RedisKeys keys, HistoryProperties properties) {
		this.redis = redis;
		this.keys = keys;
		this.safetyTtlSeconds = properties.safetyTtl().toSeconds();
	}

	/**
	 * The instance a code names in Redis: the live one, else the latest ended one not yet
	 * archived. Remembered for {@link #rememberedCurrent}.
	 */
	public Optional<UUID> current(String code) {
		Optional<UUID> live = live(code);
		Optional<UUID> current = live.isPresent() ? live : latestPending(code);
		current.ifPresentOrElse((sessionId) -> this.currentIds.put(code, sessionId),
				() -> this.currentIds.invalidate(code));
		return current;
	}

	/**
	 * The instance this process last saw as the code's current one, if it remembers one: a
	 * hint that saves a round trip to scripts that check it themselves.
	 */
	public Optional<UUID> rememberedCurrent(String code) {
		return Optional.ofNullable(this.currentIds.getIfPresent(code));
	}

	/** Remembers {@code sessionId} as the code's current instance, or forgets the code for {@code null}. */
	void remember(String code, UUID sessionId) {
		if (sessionId != null) {
			this.currentIds.put(code, sessionId);
		}
		else {
			this.currentIds.invalidate(code);
		}
	}

	public Optional<UUID> live(String code) {
		String live = this.redis.opsForValue().get(this.keys.live(code));
		if (live == null) {
			return Optional.empty();
		}
		UUID sessionId = RedisKeys.parseSessionId(live).orElse(null);
		if (sessionId == null) {
			throw new InvalidSessionDataException("The live key of '" + code + "' holds '" + live + "', not a session id",
					null);
		}
		return Optional.of(sessionId);
	}

	/** The latest (by createdAt) ended instance of the code not archived yet. */
	public Optional<UUID> latestPending(String code) {
		// A code has at most two (create refuses a code while one waits): a few more bound the
		// reply and the lookups for a pending set a foreign writer filled.
		Set<String> members = this.redis.opsForSet().distinctRandomMembers(this.keys.pending(code), PENDING_READ);
		List<UUID> sessionIds = new ArrayList<>();
		if (members != null) {
			members.forEach((member) -> RedisKeys.parseSessionId(member).ifPresent(sessionIds::add));
		}
		return latest(code, sessionIds);
	}

	/** The instance created last, of those that still have a meta hash. */
	Optional<UUID> latest(String code, List<UUID> sessionIds) {
		UUID latest = null;
		long latestCreatedAt = Long.MIN_VALUE;
		for (UUID sessionId : sessionIds) {
			Object createdAt = this.redis.opsForHash().get(this.keys.meta(code, sessionId), SessionMeta.CREATED_AT);
			if (createdAt == null) {
				continue;
			}
			long millis = millis(code, sessionId, createdAt.toString());
			if (millis > latestCreatedAt) {
				latest = sessionId;
				latestCreatedAt = millis;
			}
		}
		return Optional.ofNullable(latest);
	}

	/**
	 * Creates an instance. It is put on its due bucket first, so the worker finds it even if
	 * this process dies right after the script.
	 * @param owner the user who creates it, or {@code null}
	 */
	public CreateReply create(String code, UUID sessionId, Instant now, Duration ttl, String metadata, String owner) {
		String member = new SessionRef(code, sessionId).member();
		this.redis.opsForZSet().add(this.keys.due(code), member, now.plus(ttl).toEpochMilli());
		CreateReply reply = SessionScripts
			.create(this.keys, code, sessionId, now.toEpochMilli(), ttl.toMillis(), metadata, this.safetyTtlSeconds, owner)
			.run(this.redis);
		if (reply == CreateReply.OK) {
			this.currentIds.put(code, sessionId);
		}
		else {
			this.redis.opsForZSet().remove(this.keys.due(code), member);
		}
		return reply;
	}

	/**
	 * Ends the live instance and makes it due at once, so the sweep archives it even if the
	 * published event is missed.
	 */
	public EndReply end(String code, UUID sessionId, Instant now) {
		EndReply reply = SessionScripts.end(this.keys, code, sessionId, now.toEpochMilli()).run(this.redis);
		if (reply != EndReply.UNKNOWN) {
			dueNow(code, sessionId, now);
		}
		return reply;
	}

	/**
	 * Makes a user a participant of the live instance with {@code rights} (a stored rights
	 * text), or adds them to those held ({@code join.lua}).
	 */
	public JoinReply join(String code, UUID sessionId, String userId, String rights, int maxParticipants) {
		return SessionScripts.join(this.keys, code, sessionId, userId, rights, maxParticipants).run(this.redis);
	}

	/**
	 * Erases an instance's data in Redis, live or ended ({@code erase.lua}), then its member
	 * of the due index and of its owner's index (other slots, so not in the script: a member
	 * left by a failure names no data, and the worker, or the index's next read, drops it).
	 * @param owner the instance's owner, {@code null} for none
	 */
	public EraseReply erase(String code, UUID sessionId, @Nullable String owner) {
		SessionRef ref = new SessionRef(code, sessionId);
		EraseReply reply = SessionScripts.erase(this.keys, ref).run(this.redis);
		this.redis.opsForZSet().remove(this.keys.due(code), ref.member());
		if (owner != null) {
			this.redis.opsForZSet().remove(this.keys.userSessions(owner), ref.member());
		}
		this.currentIds.asMap().remove(code, sessionId);
		return reply;
	}

	/**
	 * Replaces a user's messages in an instance by tombstones and removes the user from its
	 * participants ({@code redact.lua}, at most {@link SessionScripts#MAX_REDACTED} seqs a call).
	 * @return how many entries were replaced
	 */
	public long redact(String code, UUID sessionId, String userId, List<Long> seqs) {
		long replaced = 0;
		int from = 0;
		do {
			List<Long> part = seqs.subList(from, Math.min(seqs.size(), from + SessionScripts.MAX_REDACTED));
			replaced += SessionScripts.redact(this.keys, new SessionRef(code, sessionId), userId, part).run(this.redis);
			from += part.size();
		}
		while (from < seqs.size());
		return replaced;
	}

	/** Revokes every access token of an instance in Redis ({@code revoke.lua}). */
	public RevokeReply revoke(String code, UUID sessionId) {
		return SessionScripts.revoke(this.keys, code, sessionId).run(this.redis);
	}

	/**
	 * Moves an ended instance's due score to {@code now} unless it is earlier already
	 * ({@code ZADD LT}). Run on every end, also a repeated one: if the first end's update
	 * was lost, the retry repairs it.
	 */
	public void dueNow(String code, UUID sessionId, Instant now) {
		byte[] key = this.keys.due(code).getBytes(StandardCharsets.UTF_8);
		byte[] member = new SessionRef(code, sessionId).member().getBytes(StandardCharsets.UTF_8);
		this.redis.execute((RedisCallback<Boolean>) (connection) -> connection.zSetCommands()
			.zAdd(key, now.toEpochMilli(), member, ZAddArgs.empty().lt()));
	}

	private static long millis(String code, UUID sessionId, String value) {
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			throw new InvalidSessionDataException(
					"createdAt of " + code + " " + sessionId + " is '" + value + "', not epoch milliseconds", ex);
		}
	}

}
