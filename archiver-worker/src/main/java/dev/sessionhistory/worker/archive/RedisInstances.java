package dev.sessionhistory.worker.archive;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionScripts;
import dev.sessionhistory.worker.system.HistoryProperties;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ZAddArgs;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The Redis side of archiving, each step one pipelined round trip for a whole batch.
 */
@Component
class RedisInstances {

	private static final RedisScript<Long> RELEASE = RedisScript
		.of(new ClassPathResource("release.lua", RedisInstances.class), Long.class);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final byte[] workerId;

	private final byte[] claimTtl;

	RedisInstances(StringRedisTemplate redis, RedisKeys keys, HistoryProperties properties) {
		this.redis = redis;
		this.keys = keys;
		this.workerId = Pipeline.bytes(properties.workerId());
		this.claimTtl = Pipeline.bytes(String.valueOf(properties.archive().claimTtl().toMillis()));
	}

	/** Claims the instances for this worker and returns their data where granted. */
	List<Claim> claim(List<SessionRef> refs) {
		List<Object> replies = Pipeline.run(this.redis, (commands, futures) -> {
			// Loaded in the same pipeline: Redis runs it before the calls that follow.
			futures.add(commands.scriptLoad(SessionScripts.CLAIM.getScriptAsString()));
			for (SessionRef ref : refs) {
				byte[][] keys = { key(this.keys.live(ref.code())), key(this.keys.meta(ref.code(), ref.sessionId())),
						key(this.keys.messages(ref.code(), ref.sessionId())),
						key(this.keys.claim(ref.code(), ref.sessionId())) };
				futures.add(commands.evalsha(SessionScripts.CLAIM.getSha1(), ScriptOutputType.MULTI, keys,
						key(ref.sessionId().toString()), this.workerId, this.claimTtl));
			}
		});
		List<Claim> claims = new ArrayList<>(refs.size());
		for (int i = 0; i < refs.size(); i++) {
			claims.add(Claim.of(refs.get(i), replies.get(i + 1)));
		}
		return claims;
	}

	/**
	 * Applies the outcome of a batch in one round trip: purges the archived instances (the
	 * script refuses a live one) and takes them out of the due index, re-scores the others
	 * (only if still indexed, so nothing archived meanwhile comes back), forgets instances
	 * without data, and releases the claims of instances left for later.
	 */
	void settle(List<SessionRef> archived, Map<SessionRef, Long> retryAt, List<SessionRef> gone,
			List<SessionRef> release) {
		Pipeline.run(this.redis, (commands, futures) -> {
			futures.add(commands.scriptLoad(SessionScripts.PURGE.getScriptAsString()));
			futures.add(commands.scriptLoad(RELEASE.getScriptAsString()));
			byte[] due = key(this.keys.due());
			for (SessionRef ref : archived) {
				String code = ref.code();
				byte[][] keys = { key(this.keys.live(code)), key(this.keys.meta(code, ref.sessionId())),
						key(this.keys.messages(code, ref.sessionId())), key(this.keys.messageIds(code, ref.sessionId())),
						key(this.keys.claim(code, ref.sessionId())), key(this.keys.pending(code)) };
				futures.add(commands.evalsha(SessionScripts.PURGE.getSha1(), ScriptOutputType.INTEGER, keys,
						key(ref.sessionId().toString())));
				futures.add(commands.zrem(due, key(ref.member())));
			}
			retryAt.forEach((ref, at) -> futures
				.add(commands.zadd(due, ZAddArgs.Builder.xx(), at.doubleValue(), key(ref.member()))));
			for (SessionRef ref : gone) {
				futures.add(commands.zrem(due, key(ref.member())));
				futures.add(commands.srem(key(this.keys.pending(ref.code())), key(ref.sessionId().toString())));
			}
			for (SessionRef ref : release) {
				byte[][] keys = { key(this.keys.claim(ref.code(), ref.sessionId())) };
				futures.add(commands.evalsha(RELEASE.getSha1(), ScriptOutputType.INTEGER, keys, this.workerId));
			}
		});
	}

	private static byte[] key(String value) {
		return Pipeline.bytes(value);
	}

}
