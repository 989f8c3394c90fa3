package dev.sessionhistory.api.session;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
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

	Sessions(LiveSessions live, LivePages pages, ArchiveTable archives, HistoryProperties properties, Clock clock) {
		this.live = live;
		this.pages = pages;
		this.archives = archives;
		this.settings = properties.session();
		this.clock = clock;
	}

	SessionView create(CreateSessionRequest request) {
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
			return attempt.view();
		}
		for (int i = 0; i < GENERATION_ATTEMPTS; i++) {
			Attempt attempt = attempt(generateCode(), ttl, request.metadata());
			if (attempt.created()) {
				return attempt.view();
			}
		}
		throw new IllegalStateException("No free session code after " + GENERATION_ATTEMPTS + " attempts");
	}

	SessionView get(String code) {
		DataAccessException redisFailure;
		try {
			// the meta only, of the live or latest pending instance: one round trip
			Optional<LivePage> page = this.pages.readCurrent(code, "latest", 0, 0);
			if (page.isPresent()) {
				return SessionView.of(page.get());
			}
			redisFailure = null;
		}
		catch (DataAccessException ex) {
			// Redis unreachable: an archive may still answer
			redisFailure = ex;
		}
		Optional<ArchivedSession> archive = this.archives.findLatest(code);
		if (archive.isPresent()) {
			return SessionView.of(code, archive.get());
		}
		if (redisFailure != null) {
			throw redisFailure;
		}
		throw SessionNotFoundException.code(code);
	}

	EndedSession end(String code) {
		Optional<UUID> live = this.live.live(code);
		if (live.isPresent()) {
			this.live.end(code, live.get(), this.clock.instant());
			return new EndedSession(code, live.get());
		}
		Optional<UUID> pending = this.live.latestPending(code);
		if (pending.isPresent()) {
			this.live.dueNow(code, pending.get(), this.clock.instant());
			return new EndedSession(code, pending.get());
		}
		return this.archives.findLatest(code)
			.map((archive) -> new EndedSession(code, archive.sessionId()))
			.orElseThrow(() -> SessionNotFoundException.code(code));
	}

	Page<ArchiveView> archives(String code, PageQuery query) {
		return this.archives.findAll(code, query).map(ArchiveView::of);
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
		return new Attempt(code, sessionId, now, ttl, this.live.create(code, sessionId, now, ttl, metadata));
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

		SessionView view() {
			return new SessionView(this.code, this.sessionId, SessionMeta.ACTIVE, SessionView.format(this.createdAt),
					SessionView.format(this.createdAt.plus(this.ttl)), null, 0);
		}

	}

	private static String conflict(String code, CreateReply reason) {
		return (reason == CreateReply.LIVE) ? "Session code '" + code + "' is in use by a live session"
				: "Session code '" + code + "' belongs to an ended session that is not archived yet; retry shortly";
	}

}
