package dev.sessionhistory.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import dev.sessionhistory.model.RedisKeys.SessionRef;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.StreamUtils;

/**
 * The Lua scripts of layout version {@value #LAYOUT_VERSION}, one per atomic operation,
 * and the one place that lays out their KEYS and ARGV. Each script's header lists its
 * KEYS and ARGV; the scripts are resources next to this class, each run as
 * {@code layout.lua} (the checks every script shares) followed by the script's own file,
 * so foreign writers can load the very same text ({@link RedisScript#getScriptAsString()}).
 * Every script checks all of its arguments before its first write: a bad call is an
 * error reply and changes nothing.
 */
public final class SessionScripts {

	/** The layout version the scripts speak; every call passes it as {@code ARGV[1]}. */
	public static final String LAYOUT_VERSION = "2";

	/** Creates an instance: 'OK', 'LIVE' or 'PENDING'. */
	public static final RedisScript<String> CREATE = script("create.lua", String.class);

	/**
	 * Appends a message: {'CREATED', json}, {'DUPLICATE', json}, {'ENDED'}, {'UNKNOWN'},
	 * {'FULL'}, {'TOO_LARGE'}.
	 */
	@SuppressWarnings("rawtypes")
	public static final RedisScript<List> APPEND = script("append.lua", List.class);

	/** Ends an instance: 'ENDED', 'ALREADY' or 'UNKNOWN'. */
	public static final RedisScript<String> END = script("end.lua", String.class);

	/** Reads one page of an instance's history, bounded by count and bytes. */
	@SuppressWarnings("rawtypes")
	public static final RedisScript<List> READ = script("read.lua", List.class);

	/** Claims an ended instance for archiving and returns its meta and message count. */
	@SuppressWarnings("rawtypes")
	public static final RedisScript<List> CLAIM = script("claim.lua", List.class);

	/** Reads a bounded window of a claimed instance's messages. */
	@SuppressWarnings("rawtypes")
	public static final RedisScript<List> SLICE = script("slice.lua", List.class);

	/** Deletes an archived instance's data: 1, or 0 when the instance is live. */
	public static final RedisScript<Long> PURGE = script("purge.lua", Long.class);

	private SessionScripts() {
	}

	public static Call<String> create(RedisKeys keys, String code, UUID sessionId, long now, long ttlMillis,
			String metadata, long safetySeconds) {
		return new Call<>(CREATE, List.of(keys.live(code), keys.meta(code, sessionId), keys.pending(code)),
				List.of(LAYOUT_VERSION, sessionId.toString(), code, Long.toString(now), Long.toString(ttlMillis),
						(metadata != null) ? metadata : "", Long.toString(safetySeconds)));
	}

	/**
	 * @param body the message without {@code seq} ({@link MessageJson#unsequenced})
	 * @param maxCount the session's message limit
	 * @param maxBytes the session's limit of stored bytes
	 */
	@SuppressWarnings("rawtypes")
	public static Call<List> append(RedisKeys keys, String code, UUID sessionId, String messageId, String body,
			long now, long maxCount, long safetySeconds, long maxBytes) {
		return new Call<>(APPEND,
				List.of(keys.live(code), keys.meta(code, sessionId), keys.messages(code, sessionId),
						keys.messageIds(code, sessionId), keys.pending(code)),
				List.of(LAYOUT_VERSION, sessionId.toString(), messageId, body, Long.toString(now),
						Long.toString(maxCount), Long.toString(safetySeconds), Long.toString(maxBytes)));
	}

	public static Call<String> end(RedisKeys keys, String code, UUID sessionId, long now) {
		return new Call<>(END, List.of(keys.live(code), keys.meta(code, sessionId)),
				List.of(LAYOUT_VERSION, sessionId.toString(), Long.toString(now), keys.events()));
	}

	/**
	 * @param mode 'latest', 'after' or 'before'
	 * @param limit the page size, 0 for the meta only
	 * @param maxBytes the most message bytes of the page (its first message comes anyway)
	 */
	@SuppressWarnings("rawtypes")
	public static Call<List> read(RedisKeys keys, String code, UUID sessionId, String mode, long cursor, int limit,
			long maxBytes) {
		return new Call<>(READ,
				List.of(keys.live(code), keys.meta(code, sessionId), keys.messages(code, sessionId)),
				List.of(LAYOUT_VERSION, sessionId.toString(), mode, Long.toString(cursor), Integer.toString(limit),
						Long.toString(maxBytes)));
	}

	@SuppressWarnings("rawtypes")
	public static Call<List> claim(RedisKeys keys, SessionRef ref, String workerId, long claimTtlMillis) {
		return new Call<>(CLAIM,
				List.of(keys.live(ref.code()), keys.meta(ref.code(), ref.sessionId()),
						keys.messages(ref.code(), ref.sessionId()), keys.claim(ref.code(), ref.sessionId())),
				List.of(LAYOUT_VERSION, ref.sessionId().toString(), workerId, Long.toString(claimTtlMillis)));
	}

	/**
	 * @param firstSeq the seq of the window's first message
	 * @param maxCount the most messages of the window
	 * @param maxBytes the most bytes of the window (its first message comes anyway)
	 */
	@SuppressWarnings("rawtypes")
	public static Call<List> slice(RedisKeys keys, SessionRef ref, String workerId, long claimTtlMillis,
			long firstSeq, int maxCount, long maxBytes) {
		return new Call<>(SLICE,
				List.of(keys.messages(ref.code(), ref.sessionId()), keys.claim(ref.code(), ref.sessionId())),
				List.of(LAYOUT_VERSION, workerId, Long.toString(claimTtlMillis), Long.toString(firstSeq),
						Integer.toString(maxCount), Long.toString(maxBytes)));
	}

	public static Call<Long> purge(RedisKeys keys, SessionRef ref) {
		String code = ref.code();
		UUID sessionId = ref.sessionId();
		return new Call<>(PURGE,
				List.of(keys.live(code), keys.meta(code, sessionId), keys.messages(code, sessionId),
						keys.messageIds(code, sessionId), keys.claim(code, sessionId), keys.pending(code)),
				List.of(LAYOUT_VERSION, sessionId.toString()));
	}

	private static <T> RedisScript<T> script(String name, Class<T> resultType) {
		return RedisScript.of(text("layout.lua") + "\n" + text(name), resultType);
	}

	private static String text(String name) {
		try {
			return StreamUtils.copyToString(new ClassPathResource(name, SessionScripts.class).getInputStream(),
					StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read script " + name, ex);
		}
	}

	/**
	 * One call of a script: its keys and arguments, in the order its header lists them.
	 *
	 * @param <T> the script's result type
	 * @param script the script
	 * @param keys its KEYS
	 * @param args its ARGV, {@link #LAYOUT_VERSION} first
	 */
	public record Call<T>(RedisScript<T> script, List<String> keys, List<String> args) {

		/** The arguments as the varargs of {@code RedisTemplate.execute}. */
		public Object[] argArray() {
			return this.args.toArray();
		}

		public byte[][] keyBytes() {
			return bytes(this.keys);
		}

		public byte[][] argBytes() {
			return bytes(this.args);
		}

		private static byte[][] bytes(List<String> values) {
			byte[][] bytes = new byte[values.size()][];
			for (int i = 0; i < bytes.length; i++) {
				bytes[i] = values.get(i).getBytes(StandardCharsets.UTF_8);
			}
			return bytes;
		}

	}

}
