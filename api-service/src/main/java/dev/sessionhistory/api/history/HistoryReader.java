package dev.sessionhistory.api.history;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.sessionhistory.api.archive.ArchiveCache;
import dev.sessionhistory.api.archive.ArchivedHistory;
import dev.sessionhistory.api.live.LivePage;
import dev.sessionhistory.api.live.LivePages;
import dev.sessionhistory.api.live.SessionNotFoundException;
import dev.sessionhistory.api.security.Caller;
import dev.sessionhistory.api.security.Right;
import dev.sessionhistory.api.security.SessionAccess;
import dev.sessionhistory.api.security.SessionHolders;
import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.model.PageCut;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * The read path, and the one place that decides where a history comes from:
 * <ol>
 * <li>Redis, when the instance is still there: the live one of the code, else the latest
 * ended one not archived yet (or the one named by {@code sessionId}), found and read in one
 * round trip ({@link LivePages#readCurrent});</li>
 * <li>else PostgreSQL: that instance's archive, or the latest archive of the code.</li>
 * </ol>
 * Archiving commits the row and its chunks before it deletes the Redis data, so falling
 * through after an empty Redis answer never misses an instance. When Redis is unreachable,
 * archives are still served; anything else is a 503. Both sources cut pages by bytes with
 * {@link PageCut}. Who may read which instance is {@link SessionAccess}'s decision, asked
 * first; a refusal is the answer an unknown session gets. Public for the Session Gallery,
 * which reads instances by their id through it.
 */
@Service
public class HistoryReader {

	private final LivePages live;

	private final ArchiveCache archives;

	private final ArchivedPages archivedPages;

	private final long maxBytes;

	private final SessionAccess access;

	private final SessionHolders holders;

	HistoryReader(LivePages live, ArchiveCache archives, ArchivedPages archivedPages, HistoryProperties properties,
			SessionAccess access, SessionHolders holders) {
		this.live = live;
		this.access = access;
		this.holders = holders;
		this.archives = archives;
		this.archivedPages = archivedPages;
		this.maxBytes = properties.page().maxBytes().toBytes();
	}

	/**
	 * @param sessionId the instance asked for, or {@code null} for the code's current or
	 * latest one
	 */
	public Result read(String code, UUID sessionId, HistoryQuery query) {
		Caller caller = Caller.current();
		SessionAccess.Scope scope = this.access.scope(caller, code, Right.READ);
		if (scope.none() || (sessionId != null && !scope.includes(sessionId))) {
			throw SessionNotFoundException.of(code, sessionId);
		}
		// A session token reads its own instance, whichever is the code's current one.
		UUID instance = (sessionId != null || scope.instance() == null) ? sessionId : scope.instance();
		DataAccessException redisFailure = null;
		try {
			Optional<LivePage> page = (instance != null)
					? this.live.read(code, instance, query.mode(), query.cursor(), query.limit())
					: this.live.readCurrent(code, query.mode(), query.cursor(), query.limit());
			if (page.isPresent()) {
				LivePage found = page.get();
				if (!this.access.permits(caller, Right.READ, this.holders.live(code, found.meta()))
						|| (!found.live() && !this.access.withinArchiveTtl(caller, found.meta().effectiveEndedAt()))) {
					throw SessionNotFoundException.of(code, sessionId);
				}
				return live(code, query.mode(), found);
			}
		}
		catch (DataAccessException ex) {
			redisFailure = ex;
		}
		// Without sessionId, the instance Redis named (if any) was archived meanwhile: it is
		// the code's latest archive, as nothing newer can be archived before it.
		Optional<ArchivedHistory> archive = (instance != null) ? this.archives.find(code, instance)
				: this.archives.latestSessionId(code).flatMap((latest) -> this.archives.find(code, latest));
		if (archive.isPresent() && this.access.withinArchiveTtl(caller, archive.get().endedAt()) && this.access
			.permits(caller, Right.READ, this.holders.archived(archive.get().sessionId(), archive.get().owner()))) {
			return archive(archive.get(), query, sessionId != null);
		}
		if (redisFailure != null) {
			throw redisFailure;
		}
		throw SessionNotFoundException.of(code, sessionId);
	}

	/**
	 * The read script already cut the page by the stored sizes; cutting again by the served
	 * sizes, by the rule the archive follows, keeps the two sources' pages identical when
	 * the served texts differ from the stored ones.
	 */
	private Result live(String code, String mode, LivePage page) {
		List<byte[]> messages = page.messages();
		int[] sizes = messages.stream().mapToInt((message) -> message.length).toArray();
		PageCut cut = PageCut.of(mode, sizes, this.maxBytes);
		if (cut.cut()) {
			messages = "after".equals(mode) ? messages.subList(0, cut.kept())
					: messages.subList(messages.size() - cut.kept(), messages.size());
		}
		return new Result(HistoryPage.live(code, page.sessionId(), page.status(), page.total(),
				page.hasMore() || cut.cut(), messages), null, false);
	}

	/**
	 * The strong validator names the instance, its revision and the page's final bounds,
	 * which fix its bytes.
	 */
	private Result archive(ArchivedHistory history, HistoryQuery query, boolean explicit) {
		ArchivedPages.Page page = this.archivedPages.page(history, query);
		HistoryQuery.Bounds bounds = page.bounds();
		String eTag = "\"h2-" + history.sessionId() + "-r" + history.revision() + "-" + bounds.from() + "-"
				+ bounds.to() + "-" + (bounds.hasMore() ? 1 : 0) + "\"";
		return new Result(page.page(), eTag, explicit);
	}

	/**
	 * @param page the page
	 * @param eTag a strong validator, for archived pages only
	 * @param explicit whether it is an archive asked for by its session id, whose pages
	 * change only when it is erased (the latest archive of a code changes with every newer one)
	 */
	public record Result(HistoryPage page, String eTag, boolean explicit) {
	}

}
