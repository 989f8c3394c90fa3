package dev.sessionhistory.model;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The meta hash of one session instance ({@code sh:{CODE}:SID:meta}). Times are stored as
 * epoch milliseconds in decimal. {@code status} stays {@code active} when the live key
 * expires; readers compare the live key with the session id to tell, and the worker
 * writes {@code ended}/{@code expired} when it claims the instance.
 *
 * @param sessionId the instance id
 * @param code the session code
 * @param createdAt when the instance was created
 * @param ttl the idle lifetime
 * @param expiresAt when the live key expires unless another message arrives
 * @param status {@code active} or {@code ended} as stored
 * @param endedAt when it ended, once known
 * @param endReason {@code ended} or {@code expired}, once known
 * @param metadata the JSON object given at creation, as text, or {@code null}
 * @param bytes the stored bytes of its messages, as counted by the append script (0 for an
 * instance of layout 1, which had no counter)
 * @param layout the layout version that created it ({@code 1} when the field is absent)
 * @param owner the owner's user id ({@link UserIds}), empty when it has none (every
 * instance written before layout 3)
 * @param tokenEpoch the epoch of its access tokens, raised by {@code revoke.lua}: a token
 * of an older epoch is revoked (0 when the field is absent)
 */
public record SessionMeta(UUID sessionId, String code, Instant createdAt, Duration ttl, Instant expiresAt,
		String status, Instant endedAt, String endReason, String metadata, long bytes, int layout,
		Optional<String> owner, long tokenEpoch) {

	public static final String SESSION_ID = "sessionId";

	public static final String CODE = "code";

	public static final String CREATED_AT = "createdAt";

	public static final String TTL_MILLIS = "ttlMillis";

	public static final String EXPIRES_AT = "expiresAt";

	public static final String STATUS = "status";

	public static final String ENDED_AT = "endedAt";

	public static final String END_REASON = "endReason";

	public static final String METADATA = "metadata";

	public static final String BYTES = "bytes";

	public static final String LAYOUT = "layout";

	/** The owner's user id, written by {@code create.lua} when given; absent for none. */
	public static final String OWNER = "owner";

	/** The epoch of the instance's access tokens, raised by {@code revoke.lua}; absent for 0. */
	public static final String TOKEN_EPOCH = "tokenEpoch";

	/** Field order used by scripts that return the hash with HMGET. */
	public static final List<String> FIELDS = List.of(SESSION_ID, CODE, CREATED_AT, TTL_MILLIS, EXPIRES_AT, STATUS,
			ENDED_AT, END_REASON, METADATA, BYTES, LAYOUT, OWNER, TOKEN_EPOCH);

	public static final String ACTIVE = "active";

	public static final String ENDED = "ended";

	public static final String REASON_ENDED = "ended";

	public static final String REASON_EXPIRED = "expired";

	/**
	 * Maps a meta hash, failing loudly on a missing or malformed required field: the hash
	 * may come from a foreign writer.
	 * @throws InvalidSessionDataException if a required field is missing or malformed
	 */
	public static SessionMeta fromHash(Map<String, String> hash) {
		try {
			return new SessionMeta(UUID.fromString(required(hash, SESSION_ID)), required(hash, CODE),
					millis(required(hash, CREATED_AT)), Duration.ofMillis(Long.parseLong(required(hash, TTL_MILLIS))),
					millis(required(hash, EXPIRES_AT)), required(hash, STATUS), optionalMillis(hash.get(ENDED_AT)),
					emptyToNull(hash.get(END_REASON)), emptyToNull(hash.get(METADATA)),
					optionalCount(hash.get(BYTES)), layout(hash.get(LAYOUT)), owner(hash.get(OWNER)),
					optionalCount(hash.get(TOKEN_EPOCH)));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSessionDataException("Malformed session meta hash " + hash + ": " + ex.getMessage(), ex);
		}
	}

	/** Maps the values of an HMGET of {@link #FIELDS}, in that order. */
	public static SessionMeta fromValues(List<String> values) {
		Map<String, String> hash = new LinkedHashMap<>();
		for (int i = 0; i < FIELDS.size() && i < values.size(); i++) {
			if (values.get(i) != null) {
				hash.put(FIELDS.get(i), values.get(i));
			}
		}
		return fromHash(hash);
	}

	/**
	 * Whether the instance has ended, judged by the meta alone: ended explicitly, or past
	 * its expiry. The live key is the authority while it exists.
	 */
	public boolean endedAt(Instant now) {
		return ENDED.equals(this.status) || !this.expiresAt.isAfter(now);
	}

	/** The end time: the stored one, else the expiry (an expired session ends then). */
	public Instant effectiveEndedAt() {
		return (this.endedAt != null) ? this.endedAt : this.expiresAt;
	}

	/** The end reason: the stored one, else {@code expired}. */
	public String effectiveEndReason() {
		return (this.endReason != null) ? this.endReason : REASON_EXPIRED;
	}

	private static String required(Map<String, String> hash, String field) {
		String value = hash.get(field);
		if (value == null || value.isEmpty()) {
			throw new IllegalArgumentException("missing required field '" + field + "'");
		}
		return value;
	}

	private static Instant millis(String value) {
		return Instant.ofEpochMilli(Long.parseLong(value));
	}

	private static Instant optionalMillis(String value) {
		return (value == null || value.isEmpty()) ? null : millis(value);
	}

	private static int layout(String value) {
		return (value == null || value.isEmpty()) ? 1 : Integer.parseInt(value);
	}

	private static Optional<String> owner(String value) {
		if (value == null || value.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(UserIds.check("owner", value));
	}

	private static long optionalCount(String value) {
		if (value == null || value.isEmpty()) {
			return 0;
		}
		long count = Long.parseLong(value);
		if (count < 0) {
			throw new IllegalArgumentException("negative count '" + value + "'");
		}
		return count;
	}

	private static String emptyToNull(String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

}
