package dev.sessionhistory.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import io.lettuce.core.codec.CRC16;

/**
 * The one place that builds Redis keys. Version {@value SessionScripts#LAYOUT_VERSION} of the
 * layout, a public contract that foreign writers may rely on. With the default prefix {@code sh}:
 *
 * <table>
 * <caption>Redis key layout</caption>
 * <tr><th>key</th><th>type</th><th>TTL</th><th>example</th></tr>
 * <tr><td>{@code sh:{CODE}:live}</td><td>string: the session id of the live instance</td>
 * <td>the idle TTL, restarted by every append; its expiry (or deletion by an explicit end)
 * is the end of the session</td><td>{@code sh:{K7P2QX}:live = 0b6c…}</td></tr>
 * <tr><td>{@code sh:{CODE}:SID:meta}</td><td>hash, fields in {@link SessionMeta}</td>
 * <td>idle TTL + safety TTL</td><td>{@code sh:{K7P2QX}:0b6c…:meta}</td></tr>
 * <tr><td>{@code sh:{CODE}:SID:msgs}</td><td>list of message JSON strings, ascending seq
 * (element i holds seq i+1)</td><td>idle TTL + safety TTL</td><td></td></tr>
 * <tr><td>{@code sh:{CODE}:SID:ids}</td><td>hash message id → seq, for idempotent
 * retries</td><td>idle TTL + safety TTL</td><td></td></tr>
 * <tr><td>{@code sh:{CODE}:SID:users}</td><td>hash user id → rights, the participants
 * ({@link Participant}); the owner is in the meta, never here</td><td>idle TTL + safety
 * TTL</td><td>{@code auth0|abc = read,append}</td></tr>
 * <tr><td>{@code sh:{CODE}:SID:claim}</td><td>string: the worker holding the archive
 * claim</td><td>the claim TTL</td><td></td></tr>
 * <tr><td>{@code sh:{CODE}:sync}</td><td>string, empty: written by the API when appends wait
 * for replicas ({@code history.append.replicas}) and a retry finds its original, so that
 * {@code WAIT} covers the original's replication too</td><td>1 ms</td><td></td></tr>
 * <tr><td>{@code sh:{CODE}:pending}</td><td>set of the session ids of the code not yet
 * archived</td><td>idle TTL + safety TTL</td><td></td></tr>
 * <tr><td>{@code sh:due:{B}}</td><td>the due index, in {@code dueBuckets} buckets (B from 0
 * to dueBuckets - 1, {@link #dueBucketOf}: CRC16 of the code modulo dueBuckets): sorted
 * set, member {@code CODE SID}, score the epoch milliseconds at which the worker should
 * look at the instance</td><td>none</td><td>{@code sh:due:{7}}</td></tr>
 * <tr><td>{@code sh:due}</td><td>the due index of layout 3 and before, one sorted set; a
 * worker of this layout moves what it finds there into the buckets</td><td>none</td>
 * <td></td></tr>
 * <tr><td>{@code sh:layout}</td><td>hash: {@code version} and {@code dueBuckets}
 * ({@link LayoutVersion})</td><td>none</td><td>{@code version = 4},
 * {@code dueBuckets = 16}</td></tr>
 * <tr><td>{@code sh:events}</td><td>pub/sub channel, message {@code CODE SID} published
 * by an explicit end</td><td>-</td><td></td></tr>
 * <tr><td>{@code sh:user:{USER}:sessions}</td><td>sorted set, member {@code CODE SID} of
 * an instance the user owns or participates in, score its creation (epoch ms); USER is the
 * first 16 hex digits of the SHA-256 of the user id. The API's per-user index, written
 * before the script that makes the user an owner or participant (another slot, so no
 * script can write both) and checked against each instance's meta when read: an entry
 * whose instance is gone is removed then. Foreign writers need not write it</td><td>twice
 * the max TTL plus the safety TTL, from its latest write or read</td>
 * <td>{@code sh:user:{9f86d081884c7d65}:sessions}</td></tr>
 * <tr><td>{@code sh:rate:{CALLER}:BUDGET}</td><td>string: the API's Bucket4j bucket state
 * of one caller's budget (binary, Bucket4j's own format)</td><td>until the bucket would be
 * full again, plus a minute</td><td>{@code sh:rate:{addr:203.0.113.7}:read}</td></tr>
 * </table>
 *
 * All keys of one session share the hash tag {@code {CODE}}, so every script touches a
 * single slot and the layout works unchanged on Redis Cluster. The due buckets, the
 * per-user indexes and the rate limit buckets have hash tags of their own, so they spread
 * over a cluster's masters; they are only ever used by single-key commands, never by a
 * script. The layout hash and the channel are global.
 * <p>
 * Most of its length is this table: the one place that documents and builds every key.
 */
public final class RedisKeys {

	/** Session codes: case-sensitive, 1 to 64 of letters, digits, '_' and '-'. */
	public static final Pattern CODE = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

	/**
	 * Callers of the API's rate limits as they appear in keys: 1 to 128 of letters, digits
	 * and {@code _ . : @ = + -} (a user id, an IPv4 or IPv6 address with a kind before it).
	 */
	public static final Pattern RATE_LIMIT_CALLER = Pattern.compile("^[A-Za-z0-9_.:@=+-]{1,128}$");

	private static final Pattern PREFIX = Pattern.compile("^[A-Za-z0-9_.-]{1,32}$");

	private static final Pattern BUDGET = Pattern.compile("^[a-z-]{1,32}$");

	/** How many buckets the due index has unless configured otherwise. */
	public static final int DEFAULT_DUE_BUCKETS = 16;

	/** The most due buckets: a sweep reads each one, and a cluster has 16384 slots. */
	public static final int MAX_DUE_BUCKETS = 1024;

	private final String prefix;

	private final int dueBuckets;

	private RedisKeys(String prefix, int dueBuckets) {
		this.prefix = prefix;
		this.dueBuckets = dueBuckets;
	}

	/**
	 * Keys with {@value #DEFAULT_DUE_BUCKETS} due buckets.
	 * @param prefix the key prefix, 1 to 32 of letters, digits, '_', '.' and '-'
	 * @throws IllegalArgumentException for a prefix outside that alphabet
	 */
	public static RedisKeys withPrefix(String prefix) {
		return withPrefix(prefix, DEFAULT_DUE_BUCKETS);
	}

	/**
	 * @param prefix the key prefix, 1 to 32 of letters, digits, '_', '.' and '-'
	 * @param dueBuckets how many buckets the due index has, 1 to {@value #MAX_DUE_BUCKETS}
	 * @throws IllegalArgumentException for a prefix outside that alphabet or a bucket
	 * count out of range
	 */
	public static RedisKeys withPrefix(String prefix, int dueBuckets) {
		if (prefix == null || !PREFIX.matcher(prefix).matches()) {
			throw new IllegalArgumentException("Key prefix must match " + PREFIX.pattern() + " but was '" + prefix + "'");
		}
		if (dueBuckets < 1 || dueBuckets > MAX_DUE_BUCKETS) {
			throw new IllegalArgumentException(
					"The due index takes 1 to " + MAX_DUE_BUCKETS + " buckets, not " + dueBuckets);
		}
		return new RedisKeys(prefix, dueBuckets);
	}

	public String prefix() {
		return this.prefix;
	}

	public static boolean isValidCode(String code) {
		return code != null && CODE.matcher(code).matches();
	}

	public String live(String code) {
		return tag(code) + ":live";
	}

	/**
	 * A key of the code's slot that the API writes, and lets expire at once, so that a
	 * following {@code WAIT} covers every earlier write of that slot's master.
	 */
	public String replicationMark(String code) {
		return tag(code) + ":sync";
	}

	public String pending(String code) {
		return tag(code) + ":pending";
	}

	public String meta(String code, UUID sessionId) {
		return instance(code, sessionId) + ":meta";
	}

	public String messages(String code, UUID sessionId) {
		return instance(code, sessionId) + ":msgs";
	}

	public String messageIds(String code, UUID sessionId) {
		return instance(code, sessionId) + ":ids";
	}

	/** The participants of an instance: a hash user id → rights ({@link Participant}). */
	public String participants(String code, UUID sessionId) {
		return instance(code, sessionId) + ":users";
	}

	public String claim(String code, UUID sessionId) {
		return instance(code, sessionId) + ":claim";
	}

	/** How many buckets the due index has. */
	public int dueBuckets() {
		return this.dueBuckets;
	}

	/**
	 * The due index bucket that holds the instances of {@code code}: the sorted set of the
	 * instances the worker must look at, scored by when.
	 */
	public String due(String code) {
		return dueBucket(dueBucketOf(code));
	}

	/** Due index bucket number {@code bucket}, from 0 to {@link #dueBuckets()} - 1. */
	public String dueBucket(int bucket) {
		if (bucket < 0 || bucket >= this.dueBuckets) {
			throw new IllegalArgumentException("No due bucket " + bucket + " of " + this.dueBuckets);
		}
		return this.prefix + ":due:{" + bucket + "}";
	}

	/**
	 * The bucket of a code: the CRC16 of its UTF-8 bytes (CRC-16/XMODEM, the checksum Redis
	 * Cluster takes for slots) modulo the bucket count. With a count that divides 16384 (16
	 * does) it is {@code CLUSTER KEYSLOT CODE} modulo the count.
	 */
	public int dueBucketOf(String code) {
		if (!isValidCode(code)) {
			throw new IllegalArgumentException("Invalid session code '" + code + "'");
		}
		return CRC16.crc16(code.getBytes(StandardCharsets.UTF_8)) % this.dueBuckets;
	}

	/**
	 * The due index of layout 3 and before, a single sorted set: nothing writes it any
	 * more; the worker moves what it finds there into the buckets.
	 */
	public String legacyDue() {
		return this.prefix + ":due";
	}

	/**
	 * The layout hash: {@code version} (the layout the data follows) and
	 * {@code dueBuckets} (how many buckets the due index has). The services write it when it
	 * is absent and refuse to start when it names another version or bucket count.
	 */
	public String layout() {
		return this.prefix + ":layout";
	}

	/** The pub/sub channel an explicit end publishes {@code CODE SID} on. */
	public String events() {
		return this.prefix + ":events";
	}

	/**
	 * The API's rate limit bucket of one caller for one budget. The caller is the hash tag,
	 * so a caller's budgets share a slot; Bucket4j touches one key per command anyway.
	 * @param caller matching {@link #RATE_LIMIT_CALLER}
	 * @param budget lower-case letters and '-', e.g. {@code read} or {@code not-found}
	 */
	public String rateLimit(String caller, String budget) {
		if (caller == null || !RATE_LIMIT_CALLER.matcher(caller).matches()) {
			throw new IllegalArgumentException("Invalid rate limit caller '" + caller + "'");
		}
		if (budget == null || !BUDGET.matcher(budget).matches()) {
			throw new IllegalArgumentException("Invalid rate limit budget '" + budget + "'");
		}
		return this.prefix + ":rate:{" + caller + "}:" + budget;
	}

	/**
	 * The API's index of the instances in Redis that a user owns or participates in: a
	 * sorted set of {@code CODE SID} by creation time. The hash tag is a digest of the user
	 * id, which may hold any character (also braces).
	 * @param userId a user id ({@link UserIds})
	 */
	public String userSessions(String userId) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
			return this.prefix + ":user:{" + HexFormat.of().formatHex(digest, 0, 8) + "}:sessions";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

	/** The glob that matches every live key of this prefix, for SCAN. */
	public String livePattern() {
		return this.prefix + ":{*}:live";
	}

	/** The glob that matches every pending set of this prefix, for SCAN. */
	public String pendingPattern() {
		return this.prefix + ":{*}:pending";
	}

	/**
	 * @return the session code if {@code key} is a live key of this prefix, else empty;
	 * keys of other prefixes or applications never match
	 */
	public Optional<String> codeOfLiveKey(String key) {
		return codeOf(key, ":live");
	}

	/** @return the session code if {@code key} is a pending set of this prefix */
	public Optional<String> codeOfPendingKey(String key) {
		return codeOf(key, ":pending");
	}

	/**
	 * Parses a {@code CODE SID} member of the due index or message of {@link #events()}.
	 * @return empty for anything malformed
	 */
	public static Optional<SessionRef> parseRef(String value) {
		if (value == null) {
			return Optional.empty();
		}
		int space = value.indexOf(' ');
		if (space < 0) {
			return Optional.empty();
		}
		String code = value.substring(0, space);
		if (!isValidCode(code)) {
			return Optional.empty();
		}
		return parseSessionId(value.substring(space + 1)).map((sessionId) -> new SessionRef(code, sessionId));
	}

	/**
	 * Parses a session id in the only form keys are built with: a canonical lower-case
	 * UUID. {@code UUID.fromString} alone would accept {@code 0B6C…} and other spellings
	 * whose keys this layout never builds.
	 * @return empty for anything else
	 */
	public static Optional<UUID> parseSessionId(String value) {
		if (value == null || value.length() != 36) {
			return Optional.empty();
		}
		try {
			UUID sessionId = UUID.fromString(value);
			return sessionId.toString().equals(value) ? Optional.of(sessionId) : Optional.empty();
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	private Optional<String> codeOf(String key, String suffix) {
		String start = this.prefix + ":{";
		String end = "}" + suffix;
		if (key == null || !key.startsWith(start) || !key.endsWith(end)
				|| key.length() <= start.length() + end.length()) {
			return Optional.empty();
		}
		String code = key.substring(start.length(), key.length() - end.length());
		return isValidCode(code) ? Optional.of(code) : Optional.empty();
	}

	private String tag(String code) {
		if (!isValidCode(code)) {
			throw new IllegalArgumentException("Invalid session code '" + code + "'");
		}
		return this.prefix + ":{" + code + "}";
	}

	private String instance(String code, UUID sessionId) {
		return tag(code) + ":" + sessionId;
	}

	/** One session instance: its code and its id. */
	public record SessionRef(String code, UUID sessionId) {

		public String member() {
			return this.code + " " + this.sessionId;
		}

	}

}
