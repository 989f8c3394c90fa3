package dev.sessionhistory.api.user;

import java.util.ArrayList;
import java.util.List;

import dev.sessionhistory.api.archive.ArchiveUsers;
import dev.sessionhistory.api.archive.ArchiveUsers.UserArchive;
import dev.sessionhistory.api.live.IndexPages;
import dev.sessionhistory.api.live.IndexPages.Positioned;
import dev.sessionhistory.api.live.LiveInstances.Checked;
import dev.sessionhistory.api.live.UserSessionIndex;
import dev.sessionhistory.api.paging.Cursor;
import dev.sessionhistory.api.paging.Page;
import dev.sessionhistory.api.paging.PageQuery;
import dev.sessionhistory.api.system.InvalidRequestException;
import dev.sessionhistory.model.SessionMeta;

import org.springframework.stereotype.Service;

/**
 * The sessions of one user, owned or joined, newest first: first those in Redis, by when
 * the user came to them ({@link UserSessionIndex}), then the archived ones, by when they
 * ended ({@code session_participant}). One keyset-paged list over both: a cursor of the
 * Redis half holds the index's score and, as a negative id, how many entries of that score
 * were served (ties of one millisecond); one of the archive half the archive's
 * {@code (ended_at, id)}. An instance ended in Redis but archived already is left to the
 * archive half; one archived while a client pages may show in both halves, never in none.
 * <p>
 * The Redis half is {@link IndexPages}': a page examines a bounded number of index entries,
 * so a user whose index holds many stale entries gets shorter pages (each with its Link)
 * rather than one slow answer.
 */
@Service
public class UserSessions {

	private final UserSessionIndex index;

	private final ArchiveUsers archives;

	UserSessions(UserSessionIndex index, ArchiveUsers archives) {
		this.index = index;
		this.archives = archives;
	}

	/** Which sessions a list holds. */
	enum Status {

		LIVE, ENDED, ALL;

		static Status of(String value) {
			if (value == null) {
				return ALL;
			}
			return switch (value) {
				case "live" -> LIVE;
				case "ended" -> ENDED;
				case "all" -> ALL;
				default -> throw new InvalidRequestException("'status' must be live, ended or all, got '" + value + "'");
			};
		}

	}

	Page<UserSessionView> list(String userId, Status status, PageQuery query) {
		int wanted = query.fetchSize();
		List<Positioned<UserSessionView>> items = new ArrayList<>();
		Cursor after = query.after();
		if (after == null || after.id() < 0) {
			Cursor stoppedAt = IndexPages.fill((max, skip, count) -> this.index.page(userId, max, skip, count),
					this.archives, after, wanted,
					(checked) -> status == Status.ALL || checked.live() == (status == Status.LIVE),
					UserSessions::view, items);
			if (items.size() == wanted) {
				return page(items, query);
			}
			if (stoppedAt != null) {
				return new Page<>(items.stream().map(Positioned::item).toList(), stoppedAt, query);
			}
			if (status == Status.LIVE) {
				return page(items, query);
			}
			after = null;
		}
		for (UserArchive archive : this.archives.findForUser(userId, after, wanted - items.size())) {
			items.add(new Positioned<>(view(archive), archive.position()));
		}
		return page(items, query);
	}

	private static Page<UserSessionView> page(List<Positioned<UserSessionView>> items, PageQuery query) {
		return query.page(items, Positioned::position).map(Positioned::item);
	}

	private static UserSessionView view(Checked checked) {
		SessionMeta meta = checked.meta();
		return new UserSessionView(meta.code(), meta.sessionId(), checked.role(),
				checked.live() ? UserSessionView.LIVE : UserSessionView.ENDED, UserSessionView.format(meta.createdAt()),
				checked.live() ? null : UserSessionView.format(meta.effectiveEndedAt()), checked.messageCount());
	}

	private static UserSessionView view(UserArchive archive) {
		return new UserSessionView(archive.code(), archive.archive().sessionId(), archive.role(),
				UserSessionView.ARCHIVED, UserSessionView.format(archive.archive().createdAt()),
				UserSessionView.format(archive.archive().endedAt()), archive.archive().messageCount());
	}

}
