package dev.sessionhistory.api.message;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.sessionhistory.api.session.ArchiveRepository;
import dev.sessionhistory.api.session.LiveSessions;
import dev.sessionhistory.api.session.SessionConflictException;
import dev.sessionhistory.api.session.SessionNotFoundException;
import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.model.MessageJson;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.SessionScripts;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.stereotype.Service;

/**
 * Appends messages. The append script assigns {@code seq} and detects retries atomically;
 * this class only finds the instance and translates the outcome.
 */
@Service
class MessageAppender {

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static final RedisSerializer<List> RAW = (RedisSerializer) RedisSerializer.byteArray();

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final LiveSessions live;

	private final ArchiveRepository archives;

	private final Clock clock;

	private final int maxCount;

	private final String safetyTtlSeconds;

	MessageAppender(StringRedisTemplate redis, RedisKeys keys, LiveSessions live, ArchiveRepository archives,
			HistoryProperties properties, Clock clock) {
		this.redis = redis;
		this.keys = keys;
		this.live = live;
		this.archives = archives;
		this.clock = clock;
		this.maxCount = properties.message().maxCount();
		this.safetyTtlSeconds = String.valueOf(properties.safetyTtl().toSeconds());
	}

	/**
	 * Appends to the live instance of the code. Without one, the latest instance still in
	 * Redis is used, so a retry of a message sent before the end still finds its original.
	 */
	Appended append(String code, MessageRequest request) {
		Optional<UUID> sessionId = this.live.current(code);
		if (sessionId.isEmpty()) {
			if (this.archives.findLatest(code).isPresent()) {
				throw ended(code);
			}
			throw SessionNotFoundException.code(code);
		}
		String id = (request.id() != null) ? request.id() : UUID.randomUUID().toString();
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		String message = MessageJson.unsequenced(id, now, request.sender(), request.type(), request.data());
		UUID sid = sessionId.get();
		List<?> reply = this.redis.execute(SessionScripts.APPEND, RedisSerializer.string(), RAW,
				List.of(this.keys.live(code), this.keys.meta(code, sid), this.keys.messages(code, sid),
						this.keys.messageIds(code, sid), this.keys.pending(code)),
				sid.toString(), id, message, String.valueOf(now.toEpochMilli()), String.valueOf(this.maxCount),
				this.safetyTtlSeconds);
		String outcome = new String((byte[]) reply.get(0), StandardCharsets.US_ASCII);
		return switch (outcome) {
			case "CREATED" -> new Appended(true, (byte[]) reply.get(1));
			case "DUPLICATE" -> new Appended(false, (byte[]) reply.get(1));
			case "FULL" -> throw new SessionFullException(code, this.maxCount);
			// UNKNOWN: the instance ended and was archived since it was looked up
			case "ENDED", "UNKNOWN" -> throw ended(code);
			default -> throw new IllegalStateException("Unexpected append outcome " + outcome);
		};
	}

	private static SessionConflictException ended(String code) {
		return new SessionConflictException("Session '" + code + "' has ended; it accepts no more messages");
	}

	/**
	 * @param created whether this call stored the message, else it is a retry
	 * @param message the stored message text, as the script returned it
	 */
	record Appended(boolean created, byte[] message) {
	}

}
