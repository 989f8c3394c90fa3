package dev.sessionhistory.api.user;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.sessionhistory.api.archive.ArchiveUsers;
import dev.sessionhistory.api.archive.ArchiveUsers.UserArchive;
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
 * A page examines a bounded number of index entries, so a user whose index holds many
 * stale entries gets shorter pages (each with its Link) rather than one slow answer.
 */
@Service
public class UserSessions {

	/** The most index entries one page examines, in batches. */
	private static final int MOST_EXAMINED = 2 * PageQuery.MAX_LIMIT + 64;

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
		List<Item> items = new ArrayList<>();
		Cursor after = query.after();
		if (after == null || after.id() < 0) {
			Cursor stoppedAt = redisHalf(userId, status, after, wanted, items);
			if (items.size() == wanted) {
				return page(items, query);
			}
			if (stoppedAt != null) {
				return new Page<>(items.stream().map(Item::view).toList(), stoppedAt, query);
			}
			if (status == Status.LIVE) {
				return page(items, query);
			}
			after = null;
		}
		for (UserArchive archive : this.archives.findForUser(userId, after, wanted - items.size())) {
			items.add(new Item(view(archive), archive.position()));
		}
		return page(items, query);
	}

	private static Page<UserSessionView> page(List<Item> items, PageQuery query) {
		return query.page(items, Item::position).map(Item::view);
	}

	/**
	 * Adds to {@code items} from the index, until there are {@code wanted}.
	 * @return where the examination stopped when it stopped at its bound with fewer items,
	 * {@code null} when the index has no more entries (or {@code wanted} are there)
	 */
	private Cursor redisHalf(String userId, Status status, Cursor after, int wanted, List<Item> items) {
		double max = (after != null) ? after.time().toEpochMilli() : Double.POSITIVE_INFINITY;
		long score = (after != null) ? after.time().toEpochMilli() : Long.MAX_VALUE;
		// entries of the score served already; stale entries are removed when seen, so they never count
		long ties = (after != null) ? -after.id() - 1 : 0;
		int examined = 0;
		while (examined < MOST_EXAMINED) {
			int batch = Math.min(wanted - items.size() + 16, MOST_EXAMINED - examined);
			List<UserSessionIndex.Entry> entries = this.index.page(userId, max, (max == score) ? ties : 0, batch);
			List<UUID> ended = entries.stream()
				.filter((entry) -> entry.valid() && !entry.live())
				.map((entry) -> entry.ref().sessionId())
				.toList();
			Set<UUID> archived = (status == Status.LIVE) ? Set.of() : this.archives.archivedAmong(ended);
			for (UserSessionIndex.Entry entry : entries) {
				examined++;
				if (!entry.valid()) {
					continue;
				}
				ties = (entry.score() == score) ? ties + 1 : 1;
				score = entry.score();
				boolean listed = !archived.contains(entry.ref().sessionId())
						&& (status == Status.ALL || entry.live() == (status == Status.LIVE));
				if (listed) {
					items.add(new Item(view(entry), position(score, ties)));
					if (items.size() == wanted) {
						return null;
					}
				}
			}
			if (entries.size() < batch) {
				return null;
			}
			max = score;
		}
		return position(score, ties);
	}

	private static Cursor position(long score, long ties) {
		return new Cursor(Instant.ofEpochMilli(score), -ties - 1);
	}

	private static UserSessionView view(UserSessionIndex.Entry entry) {
		SessionMeta meta = entry.meta();
		return new UserSessionView(meta.code(), meta.sessionId(), entry.role(),
				entry.live() ? UserSessionView.LIVE : UserSessionView.ENDED, UserSessionView.format(meta.createdAt()),
				entry.live() ? null : UserSessionView.format(meta.effectiveEndedAt()), entry.messageCount());
	}

	private static UserSessionView view(UserArchive archive) {
		return new UserSessionView(archive.code(), archive.archive().sessionId(), archive.role(),
				UserSessionView.ARCHIVED, UserSessionView.format(archive.archive().createdAt()),
				UserSessionView.format(archive.archive().endedAt()), archive.archive().messageCount());
	}

	/** An item of the merged list, and where it lies in it. */
	private record Item(UserSessionView view, Cursor position) {
	}

}
