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
import dev.sessionhistory.api.security.SessionHolders;

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

	private final SessionHolders holders;

	Sessions(LiveSessions live, LivePages pages, ArchiveTable archives, Clock clock, SessionAccess access,
			SessionHolders holders) {
		this.access = access;
		this.holders = holders;
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
		UUID instance = scope.instance();
		DataAccessException redisFailure;
		try {
			// the meta only, of the live or latest pending instance: one round trip
			Optional<LivePage> page = (instance == null) ? this.pages.readCurrent(code, "latest", 0, 0)
					: this.pages.read(code, instance, "latest", 0, 0);
			if (page.isPresent()) {
				LivePage found = page.get();
				if (!this.access.permits(caller, Right.READ, this.holders.live(code, found.meta()))
						|| (!found.live() && !this.access.withinArchiveTtl(caller, found.meta().effectiveEndedAt()))) {
					throw SessionNotFoundException.code(code);
				}
				return SessionView.of(found);
			}
			redisFailure = null;
		}
		catch (DataAccessException ex) {
			// Redis unreachable: an archive may still answer
			redisFailure = ex;
		}
		Optional<ArchivedSession> archive = ((instance == null) ? this.archives.findLatest(code)
				: this.archives.find(code, instance))
			.filter((found) -> readable(caller, found));
		if (archive.isPresent()) {
			return SessionView.of(code, archive.get());
		}
		if (redisFailure != null) {
			throw redisFailure;
		}
		throw SessionNotFoundException.code(code);
	}

	/**
	 * Ends the code's current instance: the live one, else the latest ended one not archived
	 * yet, else (already ended) its latest archive; for a session token's holder, the
	 * token's instance. A caller who may not end it gets the answer of an unknown code.
	 */
	EndedSession end(String code) {
		Caller caller = Caller.current();
		SessionAccess.Scope scope = this.access.scope(caller, code, Right.END);
		if (scope.none()) {
			throw SessionNotFoundException.code(code);
		}
		Optional<UUID> live = this.live.live(code).filter(scope::includes);
		if (live.isPresent()) {
			requireLive(caller, code, live.get(), Right.END);
			this.live.end(code, live.get(), this.clock.instant());
			return new EndedSession(code, live.get());
		}
		Optional<UUID> pending = this.live.latestPending(code).filter(scope::includes);
		if (pending.isPresent()) {
			requireLive(caller, code, pending.get(), Right.END);
			this.live.dueNow(code, pending.get(), this.clock.instant());
			return new EndedSession(code, pending.get());
		}
		return ((scope.instance() == null) ? this.archives.findLatest(code) : this.archives.find(code, scope.instance()))
			.filter((archive) -> this.access.permits(caller, Right.END,
					this.holders.archived(archive.sessionId(), archive.owner())))
			.map((archive) -> new EndedSession(code, archive.sessionId()))
			.orElseThrow(() -> SessionNotFoundException.code(code));
	}

	/**
	 * The code's archives: all for an admin, those a user owns or participates in, a session
	 * token's own instance; for callers who may see none, no archives, as for a code that
	 * has none.
	 */
	Page<ArchiveView> archives(String code, PageQuery query) {
		Caller caller = Caller.current();
		SessionAccess.Scope scope = this.access.scope(caller, code, Right.READ);
		if (scope.all()) {
			return this.archives.findAll(code, query).map(ArchiveView::of);
		}
		if (scope.user()) {
			return this.archives.findAllOf(code, caller.userId(), query).map(ArchiveView::of);
		}
		List<ArchivedSession> visible = (scope.none()) ? List.of()
				: this.archives.find(code, scope.instance())
					.filter((archive) -> readable(caller, archive))
					.stream()
					.toList();
		return new Page<>(visible, null, query).map(ArchiveView::of);
	}

	/** Whether the caller may read an archive (by its users, its tokens' epoch and the token's archive TTL). */
	private boolean readable(Caller caller, ArchivedSession archive) {
		return this.access.withinArchiveTtl(caller, archive.endedAt()) && this.access.permits(caller, Right.READ,
				this.holders.archived(archive.sessionId(), archive.owner()));
	}

	/**
	 * Refuses, as an unknown code, a caller who may not do {@code right} with an instance in
	 * Redis; an admin is not asked for the instance's meta.
	 */
	private void requireLive(Caller caller, String code, UUID sessionId, Right right) {
		if (this.access.open() || caller.admin()) {
			return;
		}
		Optional<LivePage> page = this.pages.read(code, sessionId, "latest", 0, 0);
		if (page.isEmpty() || !this.access.permits(caller, right, this.holders.live(code, page.get().meta()))) {
			throw SessionNotFoundException.code(code);
		}
	}

}
