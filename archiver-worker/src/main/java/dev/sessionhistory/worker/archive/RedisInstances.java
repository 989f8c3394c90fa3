package dev.sessionhistory.worker.archive;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.sessionhistory.model.Pipeline;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionScripts;
import dev.sessionhistory.model.SessionScripts.Call;
import dev.sessionhistory.model.SliceReply;
import dev.sessionhistory.worker.system.HistoryProperties;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The Redis side of archiving, each step one pipelined round trip for a whole batch. No
 * reply depends on the size of a session: claims return the meta and the message count,
 * messages come in windows of at most {@link ArchiveChunk#MAX_MESSAGES} and
 * {@link ArchiveChunk#MAX_BYTES}.
 */
@Component
class RedisInstances {

	private static final RedisScript<Long> RELEASE = RedisScript
		.of(new ClassPathResource("release.lua", RedisInstances.class), Long.class);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final String workerId;

	private final long claimTtlMillis;

	RedisInstances(StringRedisTemplate redis, RedisKeys keys, HistoryProperties properties) {
		this.redis = redis;
		this.keys = keys;
		this.workerId = properties.workerId();
		this.claimTtlMillis = properties.archive().claimTtl().toMillis();
	}

	/** Claims the instances for this worker and returns their meta where granted. */
	List<Claim> claim(List<SessionRef> refs) {
		List<Object> replies = Pipeline.run(this.redis, (commands, futures) -> {
			// Loaded in the same pipeline: Redis runs it before the calls that follow.
			Pipeline.loadScript(commands, SessionScripts.CLAIM.getScriptAsString());
			for (SessionRef ref : refs) {
				futures.add(eval(commands, SessionScripts.claim(this.keys, ref, this.workerId, this.claimTtlMillis),
						ScriptOutputType.MULTI));
			}
		});
		List<Claim> claims = new ArrayList<>(refs.size());
		for (int i = 0; i < refs.size(); i++) {
			claims.add(Claim.of(refs.get(i), replies.get(i)));
		}
		return claims;
	}

	/**
	 * Reads the next window of each instance, all in one round trip.
	 * @param next the seq each window starts at
	 * @return per instance, in order: the window, or the reason it could not be read
	 */
	List<Window> windows(Map<SessionRef, Long> next) {
		List<SessionRef> refs = new ArrayList<>(next.keySet());
		List<Object> replies = Pipeline.runUndecoded(this.redis, (commands, futures) -> {
			Pipeline.loadScript(commands, SessionScripts.SLICE.getScriptAsString());
			for (SessionRef ref : refs) {
				futures.add(eval(commands, SessionScripts.slice(this.keys, ref, this.workerId, this.claimTtlMillis,
						next.get(ref), ArchiveChunk.MAX_MESSAGES, ArchiveChunk.MAX_BYTES), ScriptOutputType.MULTI));
			}
		});
		List<Window> windows = new ArrayList<>(refs.size());
		for (int i = 0; i < refs.size(); i++) {
			windows.add(Window.of(refs.get(i), next.get(refs.get(i)), replies.get(i)));
		}
		return windows;
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
			Pipeline.loadScript(commands, SessionScripts.PURGE.getScriptAsString());
			Pipeline.loadScript(commands, RELEASE.getScriptAsString());
			for (SessionRef ref : archived) {
				futures.add(eval(commands, SessionScripts.purge(this.keys, ref), ScriptOutputType.INTEGER));
				futures.add(commands.zrem(due(ref.code()), Pipeline.bytes(ref.member())));
			}
			retryAt.forEach((ref, at) -> futures.add(commands.zadd(due(ref.code()), ZAddArgs.Builder.xx(),
					at.doubleValue(), Pipeline.bytes(ref.member()))));
			for (SessionRef ref : gone) {
				futures.add(commands.zrem(due(ref.code()), Pipeline.bytes(ref.member())));
				futures.add(commands.srem(Pipeline.bytes(this.keys.pending(ref.code())),
						Pipeline.bytes(ref.sessionId().toString())));
			}
			for (SessionRef ref : release) {
				byte[][] keys = { Pipeline.bytes(this.keys.claim(ref.code(), ref.sessionId())) };
				futures.add(commands.evalsha(RELEASE.getSha1(), ScriptOutputType.INTEGER, keys,
						Pipeline.bytes(this.workerId)));
			}
		});
	}

	/**
	 * Re-scores members of the due index that are no instance of this layout, if still there.
	 * @param members {@code CODE junk}, each with a valid code
	 */
	void postpone(List<String> members, long at) {
		Pipeline.run(this.redis, (commands, futures) -> members.forEach((member) -> futures.add(commands
			.zadd(due(member.substring(0, member.indexOf(' '))), ZAddArgs.Builder.xx(), at, Pipeline.bytes(member)))));
	}

	private byte[] due(String code) {
		return Pipeline.bytes(this.keys.due(code));
	}

	private static io.lettuce.core.RedisFuture<Object> eval(RedisScriptingAsyncCommands<byte[], byte[]> commands,
			Call<?> call, ScriptOutputType type) {
		return commands.evalsha(call.script().getSha1(), type, call.keyBytes(), call.argBytes());
	}

	/**
	 * One window of an instance's messages.
	 *
	 * @param ref the instance
	 * @param firstSeq the seq of its first message
	 * @param entries the messages as stored (UTF-8 bytes), empty past the end of the list
	 * @param problem {@code null}, else why the window could not be read (the claim was
	 * lost, or Redis answered an error)
	 */
	record Window(SessionRef ref, long firstSeq, List<byte[]> entries, String problem) {

		static Window of(SessionRef ref, long firstSeq, Object reply) {
			if (reply instanceof Throwable ex) {
				return new Window(ref, firstSeq, List.of(), Pipeline.rootMessage(ex));
			}
			SliceReply slice;
			try {
				slice = SliceReply.parse(reply);
			}
			catch (IllegalStateException ex) {
				return new Window(ref, firstSeq, List.of(), ex.getMessage());
			}
			return switch (slice.outcome()) {
				case SLICE -> new Window(ref, firstSeq, slice.entries(), null);
				case LOST -> new Window(ref, firstSeq, List.of(), "the claim is now held by '" + slice.holder() + "'");
			};
		}

	}

}
