package dev.sessionhistory.api.session;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;

import dev.sessionhistory.api.archive.ArchiveTable;
import dev.sessionhistory.api.archive.ArchivedSession;
import dev.sessionhistory.api.live.LivePage;
import dev.sessionhistory.api.live.LivePages;
import dev.sessionhistory.api.live.LiveSessions;
import dev.sessionhistory.api.live.SessionConflictException;
import dev.sessionhistory.api.live.SessionNotFoundException;
import dev.sessionhistory.api.paging.Page;
import dev.sessionhistory.api.paging.PageQuery;
import dev.sessionhistory.api.security.Caller;
import dev.sessionhistory.api.security.Right;
import dev.sessionhistory.api.security.SecuritySettings;
import dev.sessionhistory.api.security.SessionGrant;
import dev.sessionhistory.api.security.SessionAccess;
import dev.sessionhistory.api.security.SessionTokens;
import dev.sessionhistory.api.security.TokenRequiredException;
import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.api.system.InvalidRequestException;
import dev.sessionhistory.model.CreateReply;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.SessionMeta;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * Creates, looks up and ends sessions. Redis is asked first: it knows the live instance
 * of a code and the ended ones not yet archived; PostgreSQL knows the rest.
 */
@Service
class Sessions {

	/** Generated codes collide rarely (32^6 codes); a few attempts make a failure unlikely. */
	private static final int GENERATION_ATTEMPTS = 20;

	/** No 0/O, 1/I: codes are read aloud and typed by people. */
	private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

	private static final int GENERATED_LENGTH = 6;

	private static final RandomGenerator RANDOM = new SecureRandom();

	private final LiveSessions live;

	private final LivePages pages;

	private final ArchiveTable archives;

	private final HistoryProperties.Session settings;

	private final Clock clock;

	private final SessionAccess access;

	private final SessionTokens tokens;

	private final Duration tokenLifetime;

	private final boolean anonymousCreate;

	Sessions(LiveSessions live, LivePages pages, ArchiveTable archives, HistoryProperties properties, Clock clock,
			SessionAccess access, SessionTokens tokens, SecuritySettings security) {
		this.access = access;
		this.tokens = tokens;
		this.tokenLifetime = properties.session().maxTtl().plus(security.sessionToken().archiveTtl());
		this.anonymousCreate = security.anonymousCreate();
		this.live = live;
		this.pages = pages;
		this.archives = archives;
		this.settings = properties.session();
		this.clock = clock;
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
			return attempt.view(token(attempt));
		}
		for (int i = 0; i < GENERATION_ATTEMPTS; i++) {
			Attempt attempt = attempt(generateCode(), ttl, request.metadata());
			if (attempt.created()) {
				return attempt.view(token(attempt));
			}
		}
		throw new IllegalStateException("No free session code after " + GENERATION_ATTEMPTS + " attempts");
	}

	/**
	 * The code's current instance (else its latest archive), or, for a session token's
	 * holder, the token's instance.
	 */
	SessionView get(String code) {
		Caller caller = Caller.current();
		SessionAccess.Scope scope = this.access.scope(caller, code, Right.READ);
		if (scope.none()) {
			throw SessionNotFoundException.code(code);
		}
		UUID instance = scope.all() ? null : scope.instance();
		DataAccessException redisFailure;
		try {
			// the meta only, of the live or latest pending instance: one round trip
			Optional<LivePage> page = (instance == null) ? this.pages.readCurrent(code, "latest", 0, 0)
					: this.pages.read(code, instance, "latest", 0, 0);
			if (page.isPresent()) {
				if (!page.get().live() && !this.access.withinArchiveTtl(caller, page.get().meta().effectiveEndedAt())) {
					throw SessionNotFoundException.code(code);
				}
				return SessionView.of(page.get());
			}
			redisFailure = null;
		}
		catch (DataAccessException ex) {
			// Redis unreachable: an archive may still answer
			redisFailure = ex;
		}
		Optional<ArchivedSession> archive = ((instance == null) ? this.archives.findLatest(code)
				: this.archives.find(code, instance))
			.filter((found) -> this.access.withinArchiveTtl(caller, found.endedAt()));
		if (archive.isPresent()) {
			return SessionView.of(code, archive.get());
		}
		if (redisFailure != null) {
			throw redisFailure;
		}
		throw SessionNotFoundException.code(code);
	}

	/** Ends the code's live instance (or, for a session token's holder, the token's instance). */
	EndedSession end(String code) {
		SessionAccess.Scope scope = this.access.scope(Caller.current(), code, Right.END);
		if (scope.none()) {
			throw SessionNotFoundException.code(code);
		}
		Optional<UUID> live = this.live.live(code).filter(scope::includes);
		if (live.isPresent()) {
			this.live.end(code, live.get(), this.clock.instant());
			return new EndedSession(code, live.get());
		}
		Optional<UUID> pending = this.live.latestPending(code).filter(scope::includes);
		if (pending.isPresent()) {
			this.live.dueNow(code, pending.get(), this.clock.instant());
			return new EndedSession(code, pending.get());
		}
		return (scope.all() ? this.archives.findLatest(code) : this.archives.find(code, scope.instance()))
			.map((archive) -> new EndedSession(code, archive.sessionId()))
			.orElseThrow(() -> SessionNotFoundException.code(code));
	}

	/**
	 * The code's archives; for a session token's holder only the token's instance, and for
	 * callers who may see none, no archives, as for a code that has none.
	 */
	Page<ArchiveView> archives(String code, PageQuery query) {
		Caller caller = Caller.current();
		SessionAccess.Scope scope = this.access.scope(caller, code, Right.READ);
		if (scope.all()) {
			return this.archives.findAll(code, query).map(ArchiveView::of);
		}
		List<ArchivedSession> visible = (scope.none()) ? List.of()
				: this.archives.find(code, scope.instance())
					.filter((archive) -> this.access.withinArchiveTtl(caller, archive.endedAt()))
					.stream()
					.toList();
		return new Page<>(visible, null, query).map(ArchiveView::of);
	}

	/**
	 * A token with fewer rights on the caller's instance (to hand a display a read-only
	 * one), expiring no later than the caller's; an admin's is for the code's live instance.
	 */
	TokenView narrower(String code, Set<Right> rights) {
		Caller caller = Caller.current();
		SessionGrant grant = caller.grant();
		if (grant != null && grant.code().equals(code)) {
			if (!grant.rights().containsAll(rights)) {
				throw new InvalidRequestException("a token can only grant rights its holder has: "
						+ Right.wire(grant.rights()) + ", not " + Right.wire(rights));
			}
			return minted(code, grant.sessionId(), rights, grant.epoch(), grant.expiresAt());
		}
		if (this.access.scope(caller, code, Right.READ).all()) {
			Optional<UUID> live = this.live.live(code);
			if (live.isPresent()) {
				return minted(code, live.get(), rights, 0, this.clock.instant().plus(this.tokenLifetime));
			}
		}
		throw SessionNotFoundException.code(code);
	}

	private TokenView minted(String code, UUID sessionId, Set<Right> rights, long epoch, Instant expiresAt) {
		return new TokenView(code, sessionId, Right.wire(rights), SessionView.format(expiresAt),
				this.tokens.mint(code, sessionId, rights, epoch, expiresAt));
	}

	/** Every right on the new instance, for as long as it can live and then be read archived. */
	private String token(Attempt attempt) {
		return this.tokens.mint(attempt.code(), attempt.sessionId(), EnumSet.allOf(Right.class), 0,
				attempt.createdAt().plus(this.tokenLifetime));
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
