package dev.sessionhistory.api.security;

import java.util.Set;
import java.util.UUID;

import dev.sessionhistory.api.archive.ArchiveUsers;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.SessionMeta;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@link SessionAccess.Holders} of an instance from where it is kept: in Redis its meta
 * hash (owner, token epoch) and users hash (participants), in PostgreSQL its archive row
 * and {@code session_participant}. The features hold the owner already (it comes with the
 * page or the archive's directory); the participant's rights and an archive's token epoch
 * are asked only when a decision needs them, by one key or one primary key each.
 */
@Component
public class SessionHolders {

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final ArchiveUsers archives;

	SessionHolders(StringRedisTemplate redis, RedisKeys keys, ArchiveUsers archives) {
		this.redis = redis;
		this.keys = keys;
		this.archives = archives;
	}

	/** The holders of an instance in Redis, whose meta hash was just read. */
	public SessionAccess.Holders live(String code, SessionMeta meta) {
		UUID sessionId = meta.sessionId();
		return new SessionAccess.Holders(sessionId, meta.owner().orElse(null), meta::tokenEpoch,
				(user) -> rights(this.redis.<String, String>opsForHash().get(this.keys.participants(code, sessionId), user)));
	}

	/** The holders of an archived instance. */
	public SessionAccess.Holders archived(UUID sessionId, @Nullable String owner) {
		return new SessionAccess.Holders(sessionId, owner, () -> this.archives.tokenEpoch(sessionId),
				(user) -> rights(this.archives.rightsOf(sessionId, user).orElse(null)));
	}

	private static Set<Right> rights(@Nullable String stored) {
		return Right.stored(stored);
	}

}
