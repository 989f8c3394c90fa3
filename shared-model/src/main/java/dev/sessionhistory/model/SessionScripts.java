package dev.sessionhistory.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import dev.sessionhistory.model.RedisKeys.SessionRef;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.util.StreamUtils;

/**
 * The Lua scripts of layout version {@value #LAYOUT_VERSION}, one per atomic operation,
 * and the one place that lays out their KEYS and ARGV. Each script's header lists its
 * KEYS and ARGV; the scripts are resources next to this class, each run as
 * {@code layout.lua} (the checks every script shares) followed by the script's own file,
 * so foreign writers can load the very same text ({@link RedisScript#getScriptAsString()}).
 * Every script checks all of its arguments before its first write: a bad call is an
 * error reply and changes nothing. Each call carries the reader of its script's reply
 * ({@link CreateReply}, {@link AppendReply}, {@link JoinReply}, {@link RevokeReply},
 * {@link EndReply}, {@link ReadReply}, {@link ClaimReply}, {@link SliceReply},
 * {@link PurgeReply}), which fails loudly on any reply the script never gives.
 * <p>
 * Longer than a class should be, on purpose: it is the one list of the layout's scripts and
 * their calls, each a few lines, so that a foreign writer finds every contract in one place.
 */
public final class SessionScripts {

	/** The layout version the scripts speak; every call passes it as {@code ARGV[1]}. */
	public static final String LAYOUT_VERSION = "4";

	/** Creates an instance: {@link CreateReply}. */
	public static final RedisScript<String> CREATE = script("create.lua", String.class);

	/** Appends a message: {@link AppendReply}. */
	@SuppressWarnings("rawtypes")
	public static final RedisScript<List> APPEND = script("append.lua", List.class);

	/** A user joins a live instance as a participant, or gains rights: {@link JoinReply}. */
	public static final RedisScript<String> JOIN = script("join.lua", String.class);

	/** Revokes the access tokens of an instance by raising its token epoch: {@link RevokeReply}. */
	public static final RedisScript<String> REVOKE = script("revoke.lua", String.class);

	/** Ends an instance: {@link EndReply}. */
	public static final RedisScript<String> END = script("end.lua", String.class);

	/**
	 * Reads one page of an instance's history, bounded by count and bytes, or of the code's
	 * current instance: {@link ReadReply}.
	 */
	@SuppressWarnings("rawtypes")
	public static final RedisScript<List> READ = script("read.lua", List.class);

	/** Claims an ended instance for archiving and returns its meta and message count: {@link ClaimReply}. */
	@SuppressWarnings("rawtypes")
	public static final RedisScript<List> CLAIM = script("claim.lua", List.class);

	/** Reads a bounded window of a claimed instance's messages: {@link SliceReply}. */
	@SuppressWarnings("rawtypes")
	public static final RedisScript<List> SLICE = script("slice.lua", List.class);

	/** Deletes an archived instance's data: {@link PurgeReply}. */
	public static final RedisScript<Long> PURGE = script("purge.lua", Long.class);

	/** Erases an instance's data, live or ended: {@code LIVE}, {@code ENDED} or {@code NONE}. */
	public static final RedisScript<String> ERASE = script("erase.lua", String.class);

	/** Replaces one user's messages by tombstones ({@link Tombstones}): how many it replaced. */
	public static final RedisScript<Long> REDACT = script("redact.lua", Long.class);

	/** The most seqs {@code redact.lua} takes in one call. */
	public static final int MAX_REDACTED = 128;

	private static final String THIS = "this";

	private static final String CURRENT = "current";

	private SessionScripts() {
	}

	/**
	 * @param metadata the metadata JSON object text, or {@code null} for none
	 * @param owner the owner's user id ({@link UserIds}), or {@code null} for none
	 */
	public static Call<CreateReply> create(RedisKeys keys, String code, UUID sessionId, long now, long ttlMillis,
			String metadata, long safetySeconds, String owner) {
		return new Call<>(CREATE, List.of(keys.live(code), keys.meta(code, sessionId), keys.pending(code)),
				List.of(LAYOUT_VERSION, sessionId.toString(), code, Long.toString(now), Long.toString(ttlMillis),
						orNone(metadata), Long.toString(safetySeconds), orNone(owner)),
				CreateReply::parse);
	}

	/**
	 * @param body the message without {@code seq} ({@link MessageJson#unsequenced}), with
	 * no {@code userId} member of its own
	 * @param maxCount the session's message limit
	 * @param maxBytes the session's limit of stored bytes
	 * @param userId the appending user's id ({@link UserIds}), stamped into the stored
	 * message, or {@code null} for none
	 * @param maxParticipants the session's participant limit
	 */
	public static Call<AppendReply> append(RedisKeys keys, String code, UUID sessionId, String messageId, String body,
			long now, long maxCount, long safetySeconds, long maxBytes, String userId, long maxParticipants) {
		return append(keys, code, sessionId, messageId, body, now, maxCount, safetySeconds, maxBytes, userId,
				maxParticipants, AppendCheck.NONE);
	}

	/**
	 * An append that the script lets through only when {@code check} holds, checked before
	 * anything else (a refusal is {@link AppendReply.Outcome#FORBIDDEN}).
	 * @see #append(RedisKeys, String, UUID, String, String, long, long, long, long, String, long)
	 */
	public static Call<AppendReply> append(RedisKeys keys, String code, UUID sessionId, String messageId, String body,
			long now, long maxCount, long safetySeconds, long maxBytes, String userId, long maxParticipants,
			AppendCheck check) {
		return new Call<>(APPEND,
				List.of(keys.live(code), keys.meta(code, sessionId), keys.messages(code, sessionId),
						keys.messageIds(code, sessionId), keys.pending(code), keys.participants(code, sessionId)),
				List.of(LAYOUT_VERSION, sessionId.toString(), messageId, body, Long.toString(now),
						Long.toString(maxCount), Long.toString(safetySeconds), Long.toString(maxBytes), orNone(userId),
						Long.toString(maxParticipants), check.argument()),
				AppendReply::parse);
	}

	/**
	 * @param userId the joining user's id ({@link UserIds})
	 * @param rights the rights to grant ({@link Participant#rights()} form, e.g.
	 * {@code read,append}); the stored rights become the union with those held
	 * @param maxParticipants the session's participant limit
	 */
	public static Call<JoinReply> join(RedisKeys keys, String code, UUID sessionId, String userId, String rights,
			long maxParticipants) {
		return new Call<>(JOIN,
				List.of(keys.live(code), keys.meta(code, sessionId), keys.participants(code, sessionId)),
				List.of(LAYOUT_VERSION, sessionId.toString(), userId, rights, Long.toString(maxParticipants)),
				JoinReply::parse);
	}

	public static Call<RevokeReply> revoke(RedisKeys keys, String code, UUID sessionId) {
		return new Call<>(REVOKE, List.of(keys.meta(code, sessionId)), List.of(LAYOUT_VERSION, sessionId.toString()),
				RevokeReply::parse);
	}

	public static Call<EndReply> end(RedisKeys keys, String code, UUID sessionId, long now) {
		return new Call<>(END, List.of(keys.live(code), keys.meta(code, sessionId)),
				List.of(LAYOUT_VERSION, sessionId.toString(), Long.toString(now), keys.events()), EndReply::parse);
	}

	/**
	 * A page of one instance, live or ended.
	 * @param mode 'latest', 'after' or 'before'
	 * @param limit the page size, 0 for the meta only
	 * @param maxBytes the most message bytes of the page (its first message comes anyway)
	 */
	public static Call<ReadReply> read(RedisKeys keys, String code, UUID sessionId, String mode, long cursor, int limit,
			long maxBytes) {
		return new Call<>(READ,
				List.of(keys.live(code), keys.pending(code), keys.meta(code, sessionId),
						keys.messages(code, sessionId)),
				List.of(LAYOUT_VERSION, sessionId.toString(), THIS, mode, Long.toString(cursor), Integer.toString(limit),
						Long.toString(maxBytes)),
				ReadReply::parse);
	}

	/**
	 * A page of the code's current instance: the live one, else the latest pending one. The
	 * script can read only the keys it is given, so it serves the page only when that
	 * instance is {@code expected}; else it answers which instance is current
	 * ({@link ReadReply.Current}, {@link ReadReply.Pending}), to be read by its id.
	 * @param expected the instance the caller takes to be current, or {@code null} when it
	 * knows none
	 * @see #read
	 */
	public static Call<ReadReply> readCurrent(RedisKeys keys, String code, UUID expected, String mode, long cursor,
			int limit, long maxBytes) {
		List<String> args = List.of(LAYOUT_VERSION, (expected != null) ? expected.toString() : "", CURRENT, mode,
				Long.toString(cursor), Integer.toString(limit), Long.toString(maxBytes));
		if (expected == null) {
			return new Call<>(READ, List.of(keys.live(code), keys.pending(code)), args, ReadReply::parse);
		}
		return new Call<>(READ, List.of(keys.live(code), keys.pending(code), keys.meta(code, expected),
				keys.messages(code, expected)), args, ReadReply::parse);
	}

	public static Call<ClaimReply> claim(RedisKeys keys, SessionRef ref, String workerId, long claimTtlMillis) {
		return new Call<>(CLAIM,
				List.of(keys.live(ref.code()), keys.meta(ref.code(), ref.sessionId()),
						keys.messages(ref.code(), ref.sessionId()), keys.claim(ref.code(), ref.sessionId())),
				List.of(LAYOUT_VERSION, ref.sessionId().toString(), workerId, Long.toString(claimTtlMillis)),
				ClaimReply::parse);
	}

	/**
	 * @param firstSeq the seq of the window's first message
	 * @param maxCount the most messages of the window
	 * @param maxBytes the most bytes of the window (its first message comes anyway)
	 */
	public static Call<SliceReply> slice(RedisKeys keys, SessionRef ref, String workerId, long claimTtlMillis,
			long firstSeq, int maxCount, long maxBytes) {
		return new Call<>(SLICE,
				List.of(keys.messages(ref.code(), ref.sessionId()), keys.claim(ref.code(), ref.sessionId())),
				List.of(LAYOUT_VERSION, workerId, Long.toString(claimTtlMillis), Long.toString(firstSeq),
						Integer.toString(maxCount), Long.toString(maxBytes)),
				SliceReply::parse);
	}

	public static Call<PurgeReply> purge(RedisKeys keys, SessionRef ref) {
		return new Call<>(PURGE, allKeys(keys, ref), List.of(LAYOUT_VERSION, ref.sessionId().toString()),
				PurgeReply::parse);
	}

	public static Call<EraseReply> erase(RedisKeys keys, SessionRef ref) {
		return new Call<>(ERASE, allKeys(keys, ref), List.of(LAYOUT_VERSION, ref.sessionId().toString()),
				EraseReply::parse);
	}

	/** Every key of an instance, as {@code purge.lua} and {@code erase.lua} take them. */
	private static List<String> allKeys(RedisKeys keys, SessionRef ref) {
		String code = ref.code();
		UUID sessionId = ref.sessionId();
		return List.of(keys.live(code), keys.meta(code, sessionId), keys.messages(code, sessionId),
				keys.messageIds(code, sessionId), keys.claim(code, sessionId), keys.pending(code),
				keys.participants(code, sessionId));
	}

	/**
	 * @param seqs at most {@link #MAX_REDACTED} seqs of the user's messages
	 * @return how many entries were replaced
	 */
	public static Call<Long> redact(RedisKeys keys, SessionRef ref, String userId, List<Long> seqs) {
		List<String> args = new ArrayList<>(3 + seqs.size());
		args.add(LAYOUT_VERSION);
		args.add(ref.sessionId().toString());
		args.add(userId);
		seqs.forEach((seq) -> args.add(Long.toString(seq)));
		return new Call<>(REDACT,
				List.of(keys.messages(ref.code(), ref.sessionId()), keys.participants(ref.code(), ref.sessionId())),
				List.copyOf(args), (reply) -> ScriptReplies.number("redact.lua", reply));
	}

	private static String orNone(String value) {
		return (value != null) ? value : "";
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
	 * One call of a script: its keys and arguments, in the order its header lists them,
	 * and the reader of its reply, so no caller reads one script's reply as another's.
	 *
	 * @param <R> the script's typed reply
	 * @param script the script
	 * @param keys its KEYS
	 * @param args its ARGV, {@link #LAYOUT_VERSION} first
	 * @param reply reads the reply as a client returns it: bulk strings as {@code byte[]} (or
	 * as {@code String}, decoded), integers as {@code Long}, arrays as {@code List}
	 */
	public record Call<R>(RedisScript<?> script, List<String> keys, List<String> args, Function<Object, R> reply) {

		/**
		 * Runs the call in one round trip ({@code EVALSHA}, or {@code EVAL} when Redis does
		 * not have the script yet) and reads its reply, bulk strings left as the bytes Redis
		 * sent.
		 * @throws IllegalStateException when the reply is none the script gives
		 */
		@SuppressWarnings({ "unchecked", "rawtypes" })
		public R run(RedisOperations<String, ?> redis) {
			Object reply = redis.execute((RedisScript) this.script, RedisSerializer.string(),
					(RedisSerializer) RedisSerializer.byteArray(), this.keys, argArray());
			return parse(reply);
		}

		/**
		 * Reads a reply of this call's script obtained otherwise (a pipeline, {@code EVAL}
		 * of the script's text).
		 * @throws IllegalStateException when the reply is none the script gives
		 */
		public R parse(Object reply) {
			return this.reply.apply(reply);
		}

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
