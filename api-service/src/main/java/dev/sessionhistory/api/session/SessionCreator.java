package dev.sessionhistory.api.session;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.random.RandomGenerator;

import dev.sessionhistory.api.live.LiveSessions;
import dev.sessionhistory.api.live.UserSessionIndex;
import dev.sessionhistory.api.live.SessionConflictException;
import dev.sessionhistory.api.security.Caller;
import dev.sessionhistory.api.security.SecuritySettings;
import dev.sessionhistory.api.security.SessionAccess;
import dev.sessionhistory.api.security.TokenRequiredException;
import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.api.system.InvalidRequestException;
import dev.sessionhistory.model.CreateReply;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.SessionMeta;

import org.springframework.stereotype.Service;

/**
 * Creates sessions: with a chosen or a generated code, owned by the creating user, and
 * answered with the instance's access token.
 */
@Service
class SessionCreator {

	/** Generated codes collide rarely (32^6 codes); a few attempts make a failure unlikely. */
	private static final int GENERATION_ATTEMPTS = 20;

	/** No 0/O, 1/I: codes are read aloud and typed by people. */
	private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

	private static final int GENERATED_LENGTH = 6;

	private static final RandomGenerator RANDOM = new SecureRandom();

	private final LiveSessions live;

	private final UserSessionIndex users;

	private final HistoryProperties.Session settings;

	private final Clock clock;

	private final SessionAccess access;

	private final AccessTokens tokens;

	private final boolean anonymousCreate;

	SessionCreator(LiveSessions live, UserSessionIndex users, HistoryProperties properties, Clock clock,
			SessionAccess access, AccessTokens tokens, SecuritySettings security) {
		this.live = live;
		this.users = users;
		this.settings = properties.session();
		this.clock = clock;
		this.access = access;
		this.tokens = tokens;
		this.anonymousCreate = security.anonymousCreate();
	}

	/**
	 * Creates an instance and mints its access token. Callers without a user token create
	 * only with a generated code (a chosen code that is taken tells that it is), and only
	 * while {@code history.security.anonymous-create} allows it.
	 */
	SessionView create(CreateSessionRequest request) {
		Caller caller = Caller.current();
		if (!this.access.open() && caller.userId() == null) {
			if (!this.anonymousCreate) {
				throw new TokenRequiredException("Creating a session needs a user token here");
			}
			if (request.code() != null) {
				throw new TokenRequiredException("Choosing a session code needs a user token; leave 'code' out for a generated one");
			}
		}
		Duration ttl = ttl(request.ttlSeconds());
		if (request.code() != null) {
			if (!RedisKeys.isValidCode(request.code())) {
				throw new InvalidRequestException(
						"'code' must match " + RedisKeys.CODE.pattern() + " but was '" + request.code() + "'");
			}
			Attempt attempt = attempt(request.code(), ttl, request.metadata());
			if (!attempt.created()) {
				throw new SessionConflictException(conflict(request.code(), attempt.result()));
			}
			return attempt.view(this.tokens.creators(attempt.code(), attempt.sessionId(), attempt.createdAt()));
		}
		for (int i = 0; i < GENERATION_ATTEMPTS; i++) {
			Attempt attempt = attempt(generateCode(), ttl, request.metadata());
			if (attempt.created()) {
				return attempt.view(this.tokens.creators(attempt.code(), attempt.sessionId(), attempt.createdAt()));
			}
		}
		throw new IllegalStateException("No free session code after " + GENERATION_ATTEMPTS + " attempts");
	}

	/** A new code, unused or not: creating a session with it tells. */
	static String generateCode() {
		StringBuilder code = new StringBuilder(GENERATED_LENGTH);
		for (int i = 0; i < GENERATED_LENGTH; i++) {
			code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
		}
		return code.toString();
	}

	private Attempt attempt(String code, Duration ttl, String metadata) {
		UUID sessionId = UUID.randomUUID();
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		String owner = Caller.current().userId();
		if (owner != null) {
			// first the owner's index, in another slot: a failed create leaves a stale entry, never a missing one
			this.users.add(owner, code, sessionId);
		}
		return new Attempt(code, sessionId, now, ttl, this.live.create(code, sessionId, now, ttl, metadata, owner));
	}

	private Duration ttl(Long ttlSeconds) {
		if (ttlSeconds == null) {
			return this.settings.defaultTtl();
		}
		if (ttlSeconds < 1 || ttlSeconds > this.settings.maxTtl().toSeconds()) {
			throw new InvalidRequestException(
					"'ttlSeconds' must be between 1 and " + this.settings.maxTtl().toSeconds() + " but was " + ttlSeconds);
		}
		return Duration.ofSeconds(ttlSeconds);
	}

	/** One try to create an instance; {@code result} is the create script's answer. */
	private record Attempt(String code, UUID sessionId, Instant createdAt, Duration ttl, CreateReply result) {

		boolean created() {
			return this.result == CreateReply.OK;
		}

		SessionView view(String accessToken) {
			return new SessionView(this.code, this.sessionId, SessionMeta.ACTIVE, SessionView.format(this.createdAt),
					SessionView.format(this.createdAt.plus(this.ttl)), null, 0, accessToken);
		}

	}

	private static String conflict(String code, CreateReply reason) {
		return (reason == CreateReply.LIVE) ? "Session code '" + code + "' is in use by a live session"
				: "Session code '" + code + "' belongs to an ended session that is not archived yet; retry shortly";
	}

}
