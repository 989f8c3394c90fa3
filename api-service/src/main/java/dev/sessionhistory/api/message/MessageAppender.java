package dev.sessionhistory.api.message;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

import dev.sessionhistory.api.archive.ArchiveTable;
import dev.sessionhistory.api.live.LiveSessions;
import dev.sessionhistory.api.live.ReplicatedAppends;
import dev.sessionhistory.api.live.SessionConflictException;
import dev.sessionhistory.api.live.SessionFullException;
import dev.sessionhistory.api.live.SessionNotFoundException;
import dev.sessionhistory.api.live.UserSessionIndex;
import dev.sessionhistory.api.security.Caller;
import dev.sessionhistory.api.security.Right;
import dev.sessionhistory.api.security.SessionAccess;
import dev.sessionhistory.api.security.SessionHolders;
import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.model.AppendCheck;
import dev.sessionhistory.model.AppendReply;
import dev.sessionhistory.model.MessageJson;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.SessionScripts;
import dev.sessionhistory.model.SessionScripts.Call;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

/**
 * Appends messages. The append script assigns {@code seq}, detects retries and checks the
 * caller's right to append ({@link AppendCheck}) atomically; this class only asks
 * {@link SessionAccess} which instances can be the caller's, finds the instance and
 * translates the outcome.
 */
@Service
class MessageAppender {

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final LiveSessions live;

	private final UserSessionIndex users;

	private final ArchiveTable archives;

	private final Clock clock;

	private final int maxCount;

	private final long safetyTtlSeconds;

	private final long maxBytes;

	private final int maxParticipants;

	private final SessionAccess access;

	private final SessionHolders holders;

	private final ReplicatedAppends replicated;

	MessageAppender(StringRedisTemplate redis, RedisKeys keys, LiveSessions live, UserSessionIndex users,
			ArchiveTable archives, HistoryProperties properties, Clock clock, SessionAccess access,
			SessionHolders holders, ReplicatedAppends replicated) {
		this.replicated = replicated;
		this.access = access;
		this.holders = holders;
		this.redis = redis;
		this.keys = keys;
		this.live = live;
		this.users = users;
		this.archives = archives;
		this.clock = clock;
		this.maxCount = properties.message().maxCount();
		this.safetyTtlSeconds = properties.safetyTtl().toSeconds();
		this.maxBytes = properties.session().maxBytes().toBytes();
		this.maxParticipants = properties.session().maxParticipants();
	}

	/**
	 * Appends to the live instance of the code. Without one, the latest instance still in
	 * Redis is used, so a retry of a message sent before the end still finds its original
	 * (also in the instance this process last saw as current when the code has a newer one
	 * since: the script looks for the original before it checks that the instance is live).
	 * @param pinned the instance to append to, or {@code null} for the code's current one:
	 * a pinned append goes to that instance or nowhere, so a retry never lands in a later
	 * instance of a reused code
	 */
	Appended append(String code, UUID pinned, MessageRequest request) {
		Caller caller = Caller.current();
		SessionAccess.Scope scope = this.access.scope(caller, code, Right.APPEND);
		if (scope.none() || (pinned != null && !scope.includes(pinned))) {
			// asked before anything that depends on the instance: a refusal reads as unknown
			throw SessionNotFoundException.of(code, pinned);
		}
		AppendCheck check = AppendCheck.NONE;
		if (scope.instance() != null) {
			pinned = scope.instance(); // a session token appends to its own instance, or nowhere
			check = AppendCheck.token(caller.grant().epoch());
		}
		else if (scope.user()) {
			check = AppendCheck.USER; // the script lets the owner and participants with append through
		}
		String id = (request.id() != null) ? request.id() : UUID.randomUUID().toString();
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		String message = MessageJson.unsequenced(id, now, request.sender(), request.type(), request.data());
		if (pinned == null) {
			// One round trip for the usual append: the script checks that the remembered
			// instance is live before it stores anything (and finds a retry's original first).
			Optional<UUID> remembered = this.live.rememberedCurrent(code);
			if (remembered.isPresent()) {
				AppendReply reply = append(code, remembered.get(), id, message, now, caller, check);
				if (reply.outcome() != AppendReply.Outcome.ENDED && reply.outcome() != AppendReply.Outcome.UNKNOWN
						&& reply.outcome() != AppendReply.Outcome.FORBIDDEN) {
					return appended(code, remembered.get(), null, reply, caller);
				}
			}
		}
		UUID sid = (pinned != null) ? pinned : current(code, caller);
		return appended(code, sid, pinned, append(code, sid, id, message, now, caller, check), caller);
	}

	private AppendReply append(String code, UUID sid, String id, String message, Instant now, Caller caller,
			AppendCheck check) {
		if (check == AppendCheck.NONE && caller.userId() != null) {
			// an admin (or any user in open mode) joins by appending: first the user's index
			this.users.add(caller.userId(), code, sid);
		}
		Call<AppendReply> call = SessionScripts.append(this.keys, code, sid, id, message, now.toEpochMilli(),
				this.maxCount, this.safetyTtlSeconds, this.maxBytes, caller.userId(), this.maxParticipants, check);
		return this.replicated.enabled() ? this.replicated.run(code, call) : call.run(this.redis);
	}

	private Appended appended(String code, UUID sid, UUID pinned, AppendReply reply, Caller caller) {
		return switch (reply.outcome()) {
			case CREATED -> new Appended(true, sid, reply.message());
			case DUPLICATE -> new Appended(false, sid, reply.message());
			case FULL -> throw SessionFullException.count(code, this.maxCount);
			case TOO_LARGE -> throw SessionFullException.bytes(code, this.maxBytes);
			case TOO_MANY_PARTICIPANTS -> throw SessionFullException.participants(code, this.maxParticipants);
			case ENDED -> throw ended(code);
			// the instance has no data in Redis: archived since it was looked up, or (pinned)
			// archived long ago or never an instance of this code
			case UNKNOWN -> throw (pinned == null || archivedFor(code, pinned, caller)) ? ended(code)
					: SessionNotFoundException.of(code, pinned);
			// the script refused the caller; it also refuses a user when the instance is gone
			// from Redis, whose archive answers then for those who may append to it
			case FORBIDDEN -> throw (archivedFor(code, sid, caller)) ? ended(code)
					: SessionNotFoundException.of(code, pinned);
		};
	}

	/** Whether the instance is archived and the caller may append to it (were it live). */
	private boolean archivedFor(String code, UUID sessionId, Caller caller) {
		return this.archives.find(code, sessionId)
			.filter((archive) -> this.access.permits(caller, Right.APPEND,
					this.holders.archived(archive.sessionId(), archive.owner())))
			.isPresent();
	}

	/**
	 * The code's instance in Redis; without one, an ended code for those who could append to
	 * its latest archive, an unknown one for everybody else.
	 */
	private UUID current(String code, Caller caller) {
		Optional<UUID> sessionId = this.live.current(code);
		if (sessionId.isPresent()) {
			return sessionId.get();
		}
		if (this.archives.findLatest(code)
			.filter((archive) -> this.access.permits(caller, Right.APPEND,
					this.holders.archived(archive.sessionId(), archive.owner())))
			.isPresent()) {
			throw ended(code);
		}
		throw SessionNotFoundException.code(code);
	}

	private static SessionConflictException ended(String code) {
		return new SessionConflictException("Session '" + code + "' has ended; it accepts no more messages");
	}

	/**
	 * @param created whether this call stored the message, else it is a retry
	 * @param sessionId the instance that holds it
	 * @param message the stored message text, as the script returned it
	 */
	record Appended(boolean created, UUID sessionId, byte[] message) {
	}

}
