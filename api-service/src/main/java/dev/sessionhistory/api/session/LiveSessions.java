package dev.sessionhistory.api.session;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.model.InvalidSessionDataException;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionMeta;
import dev.sessionhistory.model.SessionScripts;
import dev.sessionhistory.model.SessionScripts.Call;
import dev.sessionhistory.model.StoredEntries;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.data.redis.connection.RedisZSetCommands.ZAddArgs;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.stereotype.Component;

/**
 * The session instances in Redis: the live one of a code and the ended ones waiting for
 * their archive. Every key comes from {@link RedisKeys}; every multi-key change is one of
 * the {@link SessionScripts}.
 */
@Component
public class LiveSessions {

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static final RedisSerializer<List> RAW = (RedisSerializer) RedisSerializer.byteArray();

	private static final long PENDING_READ = 16;

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final long safetyTtlSeconds;

	private final long pageMaxBytes;

	private final Counter malformed;

	LiveSessions(StringRedisTemplate redis, RedisKeys keys, HistoryProperties properties, MeterRegistry registry) {
		this.redis = redis;
		this.keys = keys;
		this.malformed = Counter.builder("history.reads.malformed")
			.description("Live entries that are no storable JSON object (a foreign writer's), served wrapped")
			.register(registry);
		this.safetyTtlSeconds = properties.safetyTtl().toSeconds();
		this.pageMaxBytes = properties.page().maxBytes().toBytes();
	}

	/** The instance a code names in Redis: the live one, else the latest ended one not yet archived. */
	public Optional<UUID> current(String code) {
		Optional<UUID> live = live(code);
		return live.isPresent() ? live : latestPending(code);
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
		List<String> members = this.redis.opsForSet().distinctRandomMembers(this.keys.pending(code), PENDING_READ)
			.stream().toList();
		if (members == null || members.isEmpty()) {
			return Optional.empty();
		}
		UUID latest = null;
		long latestCreatedAt = Long.MIN_VALUE;
		for (String member : members) {
			UUID sessionId = RedisKeys.parseSessionId(member).orElse(null);
			if (sessionId == null) {
				continue;
			}
			Object createdAt = this.redis.opsForHash().get(this.keys.meta(code, sessionId), SessionMeta.CREATED_AT);
			long millis = (createdAt != null) ? millis(code, sessionId, createdAt.toString()) : Long.MIN_VALUE;
			if (createdAt != null && millis > latestCreatedAt) {
				latest = sessionId;
				latestCreatedAt = millis;
			}
		}
		return Optional.ofNullable(latest);
	}

	/**
	 * Creates an instance. It is put on the due set first, so the worker finds it even if
	 * this process dies right after the script.
	 * @return the script's answer: 'OK', 'LIVE' or 'PENDING'
	 */
	String create(String code, UUID sessionId, Instant now, Duration ttl, String metadata) {
		String member = new SessionRef(code, sessionId).member();
		this.redis.opsForZSet().add(this.keys.due(), member, now.plus(ttl).toEpochMilli());
		Call<String> call = SessionScripts.create(this.keys, code, sessionId, now.toEpochMilli(), ttl.toMillis(),
				metadata, this.safetyTtlSeconds);
		String result = this.redis.execute(call.script(), call.keys(), call.argArray());
		if (!"OK".equals(result)) {
			this.redis.opsForZSet().remove(this.keys.due(), member);
		}
		return result;
	}

	/**
	 * Ends the live instance and makes it due at once, so the sweep archives it even if the
	 * published event is missed.
	 * @return the script's answer: 'ENDED', 'ALREADY' or 'UNKNOWN'
	 */
	String end(String code, UUID sessionId, Instant now) {
		Call<String> call = SessionScripts.end(this.keys, code, sessionId, now.toEpochMilli());
		String result = this.redis.execute(call.script(), call.keys(), call.argArray());
		if (!"UNKNOWN".equals(result)) {
			dueNow(code, sessionId, now);
		}
		return result;
	}

	/**
	 * Moves an ended instance's due score to {@code now} unless it is earlier already
	 * ({@code ZADD LT}). Run on every end, also a repeated one: if the first end's update
	 * was lost, the retry repairs it.
	 */
	void dueNow(String code, UUID sessionId, Instant now) {
		byte[] key = this.keys.due().getBytes(StandardCharsets.UTF_8);
		byte[] member = new SessionRef(code, sessionId).member().getBytes(StandardCharsets.UTF_8);
		this.redis.execute((RedisCallback<Boolean>) (connection) -> connection.zSetCommands()
			.zAdd(key, now.toEpochMilli(), member, ZAddArgs.empty().lt()));
	}

	/**
	 * One page of an instance's history, in one round trip.
	 * @param mode 'latest', 'after' or 'before'
	 * @return empty when the instance has no data in Redis (unknown, or archived and purged)
	 */
	public Optional<LivePage> read(String code, UUID sessionId, String mode, long cursor, int limit) {
		@SuppressWarnings("rawtypes")
		Call<List> call = SessionScripts.read(this.keys, code, sessionId, mode, cursor, limit, this.pageMaxBytes);
		List<?> reply = this.redis.execute(call.script(), RedisSerializer.string(), RAW, call.keys(), call.argArray());
		if (reply == null || reply.isEmpty()) {
			return Optional.empty();
		}
		int metaEnd = 4 + SessionMeta.FIELDS.size();
		if (reply.size() < metaEnd) {
			throw new InvalidSessionDataException("Short read reply for " + code + " " + sessionId, null);
		}
		List<String> metaValues = new ArrayList<>(SessionMeta.FIELDS.size());
		for (Object value : reply.subList(4, metaEnd)) {
			metaValues.add((value != null) ? new String((byte[]) value, StandardCharsets.UTF_8) : null);
		}
		long firstSeq = number(reply.get(3));
		List<byte[]> messages = new ArrayList<>(reply.size() - metaEnd);
		for (Object message : reply.subList(metaEnd, reply.size())) {
			byte[] entry = (byte[]) message;
			if (StoredEntries.isStorableObject(entry)) {
				messages.add(entry);
			}
			else {
				// A foreign writer's entry: served as the archive will keep it, at its seq.
				messages.add(StoredEntries.malformed(firstSeq + messages.size(), entry));
				this.malformed.increment();
			}
		}
		return Optional.of(new LivePage(number(reply.get(0)) == 1, number(reply.get(1)), number(reply.get(2)) == 1,
				SessionMeta.fromValues(metaValues), messages));
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

	private static long number(Object value) {
		return ((Number) value).longValue();
	}

}
