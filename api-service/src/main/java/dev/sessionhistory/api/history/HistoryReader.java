package dev.sessionhistory.api.history;

import java.util.Optional;
import java.util.UUID;

import dev.sessionhistory.api.session.LivePage;
import dev.sessionhistory.api.session.LiveSessions;
import dev.sessionhistory.api.session.SessionNotFoundException;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * The read path, and the one place that decides where a history comes from:
 * <ol>
 * <li>Redis, when the instance is still there: the live one of the code, else the latest
 * ended one not archived yet (or the one named by {@code sessionId});</li>
 * <li>else PostgreSQL: that instance's archive, or the latest archive of the code.</li>
 * </ol>
 * Archiving writes the row before it deletes the Redis data, so falling through after an
 * empty Redis answer never misses an instance. When Redis is unreachable, archives are
 * still served; anything else is a 503.
 */
@Service
class HistoryReader {

	private final LiveSessions live;

	private final ArchiveStore archives;

	HistoryReader(LiveSessions live, ArchiveStore archives) {
		this.live = live;
		this.archives = archives;
	}

	/**
	 * @param sessionId the instance asked for, or {@code null} for the code's current or
	 * latest one
	 */
	Result read(String code, UUID sessionId, HistoryQuery query) {
		UUID instance = sessionId;
		DataAccessException redisFailure = null;
		try {
			if (instance == null) {
				instance = this.live.current(code).orElse(null);
			}
			if (instance != null) {
				Optional<LivePage> page = this.live.read(code, instance, query.mode(), query.cursor(), query.limit());
				if (page.isPresent()) {
					return live(code, instance, page.get());
				}
			}
		}
		catch (DataAccessException ex) {
			redisFailure = ex;
		}
		Optional<ArchivedHistory> archive = (instance != null) ? this.archives.find(code, instance)
				: this.archives.latestSessionId(code).flatMap((latest) -> this.archives.find(code, latest));
		if (archive.isPresent()) {
			return archive(archive.get(), query, sessionId != null);
		}
		if (redisFailure != null) {
			throw redisFailure;
		}
		throw (sessionId != null)
				? new SessionNotFoundException("No session '" + sessionId + "' with code '" + code + "'")
				: SessionNotFoundException.code(code);
	}

	private static Result live(String code, UUID sessionId, LivePage page) {
		return new Result(HistoryPage.live(code, sessionId, page.status(), page.total(), page.hasMore(),
				page.messages()), null, false);
	}

	private Result archive(ArchivedHistory history, HistoryQuery query, boolean explicit) {
		HistoryQuery.Bounds bounds = query.bounds(history.total());
		String eTag = "\"h1-" + history.sessionId() + "-" + bounds.from() + "-" + bounds.to() + "-"
				+ (bounds.hasMore() ? 1 : 0) + "\"";
		HistoryPage page = (history.whole() || bounds.size() == 0) ? HistoryPage.archive(history, bounds)
				: HistoryPage.archive(history, bounds, this.archives.slice(history.sessionId(), bounds));
		return new Result(page, eTag, explicit);
	}

	/**
	 * @param page the page
	 * @param eTag a strong validator, for archived pages only
	 * @param immutable whether the response may be cached for good: an archive asked for by
	 * its session id
	 */
	record Result(HistoryPage page, String eTag, boolean immutable) {
	}

}
