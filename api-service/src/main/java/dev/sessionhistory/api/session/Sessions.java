package dev.sessionhistory.api.session;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.sessionhistory.api.archive.ArchiveTable;
import dev.sessionhistory.api.archive.ArchivedSession;
import dev.sessionhistory.api.live.LivePage;
import dev.sessionhistory.api.live.LivePages;
import dev.sessionhistory.api.live.LiveSessions;
import dev.sessionhistory.api.live.SessionNotFoundException;
import dev.sessionhistory.api.paging.Page;
import dev.sessionhistory.api.paging.PageQuery;
import dev.sessionhistory.api.security.Caller;
import dev.sessionhistory.api.security.Right;
import dev.sessionhistory.api.security.SessionAccess;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * Looks up and ends sessions ({@link SessionCreator} creates them). Redis is asked first: it knows the live instance
 * of a code and the ended ones not yet archived; PostgreSQL knows the rest.
 */
@Service
class Sessions {

	private final LiveSessions live;

	private final LivePages pages;

	private final ArchiveTable archives;

	private final Clock clock;

	private final SessionAccess access;

	Sessions(LiveSessions live, LivePages pages, ArchiveTable archives, Clock clock, SessionAccess access) {
		this.access = access;
		this.live = live;
		this.pages = pages;
		this.archives = archives;
		this.clock = clock;
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

}
