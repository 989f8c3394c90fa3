package dev.sessionhistory.api.gallery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.sessionhistory.api.archive.ArchiveSearch;
import dev.sessionhistory.api.archive.ArchiveUsers;
import dev.sessionhistory.api.live.LiveInstances;
import dev.sessionhistory.api.live.LiveInstances.Checked;
import dev.sessionhistory.api.live.LiveInstances.Scored;
import dev.sessionhistory.api.live.UserSessionIndex;
import dev.sessionhistory.api.paging.Cursor;
import dev.sessionhistory.api.paging.Page;
import dev.sessionhistory.api.paging.PageQuery;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionMeta;

import org.springframework.stereotype.Service;

/**
 * The gallery's list of sessions: first those in Redis (live, then ended ones waiting for
 * their archive, as they come), then the archives, newest first by creation
 * ({@link ArchiveSearch}); one keyset-paged list over both, as {@code /me/sessions} is.
 * <p>
 * The Redis half is read from an index: the due index ({@code sh:due}, every instance, the
 * latest due first, which for live sessions is the most recently active), a user's index
 * for a user filter, or a code's live and pending instances for a code. Its entries are
 * checked and filtered in batches, and a page examines at most {@value #MOST_EXAMINED} of
 * them, so a filter that few live sessions match gives short pages (each with its Link)
 * rather than one answer that reads all of Redis. A cursor of the Redis half holds the
 * index's score and, as a negative id, how many entries of that score were served.
 */
@Service
class GallerySessions {

	static final int MOST_EXAMINED = 2 * PageQuery.MAX_LIMIT + 64;

	private final LiveInstances instances;

	private final UserSessionIndex users;

	private final ArchiveSearch search;

	private final ArchiveUsers archiveUsers;

	GallerySessions(LiveInstances instances, UserSessionIndex users, ArchiveSearch search, ArchiveUsers archiveUsers) {
		this.instances = instances;
		this.users = users;
		this.search = search;
		this.archiveUsers = archiveUsers;
	}

	Page<GallerySessionView> list(SessionFilter filter, PageQuery query) {
		int wanted = query.fetchSize();
		List<Item> items = new ArrayList<>();
		Cursor after = query.after();
		if (after == null || after.id() < 0) {
			if (filter.status().inRedis()) {
				Cursor stoppedAt = redisHalf(filter, after, wanted, items);
				if (items.size() == wanted) {
					return page(items, query);
				}
				if (stoppedAt != null) {
					return new Page<>(items.stream().map(Item::view).toList(), stoppedAt, query);
				}
			}
			after = null;
		}
		if (filter.status().archived()) {
			for (ArchiveSearch.Found found : this.search.find(criteria(filter), after, wanted - items.size())) {
				items.add(new Item(view(found), found.position()));
			}
		}
		return page(items, query);
	}

	/** How many archives match, up to {@link ArchiveSearch#COUNT_CAP}; {@code -1} when the filter excludes them. */
	int countArchived(SessionFilter filter) {
		return filter.status().archived() ? this.search.count(criteria(filter)) : -1;
	}

	private static Page<GallerySessionView> page(List<Item> items, PageQuery query) {
		return query.page(items, Item::position).map(Item::view);
	}

	/**
	 * Adds to {@code items} from Redis, until there are {@code wanted}.
	 * @return where the examination stopped when it reached its bound with fewer items,
	 * {@code null} when the source has no more entries (or {@code wanted} are there)
	 */
	private Cursor redisHalf(SessionFilter filter, Cursor after, int wanted, List<Item> items) {
		double max = (after != null) ? after.time().toEpochMilli() : Double.POSITIVE_INFINITY;
		long score = (after != null) ? after.time().toEpochMilli() : Long.MAX_VALUE;
		long ties = (after != null) ? -after.id() - 1 : 0;
		int examined = 0;
		while (examined < MOST_EXAMINED) {
			int batch = Math.min(wanted - items.size() + 16, MOST_EXAMINED - examined);
			List<Entry> entries = entries(filter, max, (max == score) ? ties : 0, batch);
			List<UUID> ended = entries.stream()
				.filter((entry) -> entry.checked() != null && entry.checked().meta() != null && !entry.checked().live())
				.map((entry) -> entry.checked().ref().sessionId())
				.toList();
			Set<UUID> archived = this.archiveUsers.archivedAmong(ended);
			for (Entry entry : entries) {
				examined++;
				Checked checked = entry.checked();
				if (checked == null || checked.meta() == null) {
					continue; // gone meanwhile: no place in the index to count
				}
				ties = (entry.score() == score) ? ties + 1 : 1;
				score = entry.score();
				if (!archived.contains(checked.ref().sessionId()) && matches(filter, checked)) {
					items.add(new Item(view(checked), new Cursor(Instant.ofEpochMilli(score), -ties - 1)));
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
		return new Cursor(Instant.ofEpochMilli(score), -ties - 1);
	}

	/** A batch of the Redis half's source, checked. */
	private List<Entry> entries(SessionFilter filter, double max, long skip, int count) {
		if (filter.userId() != null) {
			return this.users.page(filter.userId(), max, skip, count)
				.stream()
				.map((entry) -> new Entry(entry.score(), entry.valid()
						? new Checked(entry.ref(), entry.meta(), entry.live(), entry.messageCount(), entry.role())
						: null))
				.toList();
		}
		if (filter.code() != null) {
			// a code's few instances in Redis, all checked at once and placed by creation
			List<SessionRef> refs = this.instances.ofCode(filter.code());
			List<Entry> all = new ArrayList<>();
			for (Checked checked : this.instances.check(refs, null)) {
				if (checked.meta() != null) {
					all.add(new Entry(checked.meta().createdAt().toEpochMilli(), checked));
				}
			}
			all.sort(Comparator.comparingLong(Entry::score).reversed());
			List<Entry> below = all.stream().filter((entry) -> entry.score() <= max).toList();
			return below.subList((int) Math.min(skip, below.size()), below.size());
		}
		List<Scored> scored = this.instances.byDue(max, skip, count);
		List<Checked> checked = this.instances.check(scored.stream().map(Scored::ref).toList(), null);
		List<Entry> entries = new ArrayList<>(scored.size());
		for (int i = 0; i < scored.size(); i++) {
			entries.add(new Entry(scored.get(i).score(), checked.get(i)));
		}
		return entries;
	}

	private static boolean matches(SessionFilter filter, Checked checked) {
		SessionMeta meta = checked.meta();
		if (filter.status() == SessionFilter.Status.LIVE && !checked.live()
				|| filter.status() == SessionFilter.Status.ENDED && checked.live()) {
			return false;
		}
		if (checked.live() && !filter.admitsLive()) {
			return false;
		}
		Instant endedAt = checked.live() ? null : meta.effectiveEndedAt();
		return (filter.codePrefix() == null || meta.code().startsWith(filter.codePrefix()))
				&& (filter.createdAfter() == null || !meta.createdAt().isBefore(filter.createdAfter()))
				&& (filter.createdBefore() == null || meta.createdAt().isBefore(filter.createdBefore()))
				&& (filter.endedAfter() == null || (endedAt != null && !endedAt.isBefore(filter.endedAfter())))
				&& (filter.endedBefore() == null || (endedAt != null && endedAt.isBefore(filter.endedBefore())))
				&& (filter.endReason() == null || filter.endReason().equals(meta.effectiveEndReason()))
				&& (filter.minMessages() == null || checked.messageCount() >= filter.minMessages())
				&& (filter.maxMessages() == null || checked.messageCount() <= filter.maxMessages());
	}

	private static ArchiveSearch.Criteria criteria(SessionFilter filter) {
		return new ArchiveSearch.Criteria(filter.code(), filter.codePrefix(), filter.userId(), filter.createdAfter(),
				filter.createdBefore(), filter.endedAfter(), filter.endedBefore(), filter.endReason(),
				filter.minMessages(), filter.maxMessages());
	}

	private static GallerySessionView view(Checked checked) {
		SessionMeta meta = checked.meta();
		return new GallerySessionView(meta.code(), meta.sessionId(),
				checked.live() ? GallerySessionView.LIVE : GallerySessionView.ENDED, meta.owner().orElse(null),
				GallerySessionView.format(meta.createdAt()),
				checked.live() ? null : GallerySessionView.format(meta.effectiveEndedAt()),
				checked.live() ? null : meta.effectiveEndReason(), null, checked.messageCount(), null);
	}

	private static GallerySessionView view(ArchiveSearch.Found found) {
		return new GallerySessionView(found.code(), found.sessionId(), GallerySessionView.ARCHIVED, found.owner(),
				GallerySessionView.format(found.createdAt()), GallerySessionView.format(found.endedAt()),
				found.endReason(), GallerySessionView.format(found.archivedAt()), found.messageCount(),
				found.messageBytes());
	}

	/** An entry of the Redis half's source: its score and what it holds ({@code null}: nothing). */
	private record Entry(long score, Checked checked) {
	}

	/** An item of the merged list, and where it lies in it. */
	private record Item(GallerySessionView view, Cursor position) {
	}

}
