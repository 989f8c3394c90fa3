package dev.sessionhistory.api.gallery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.sessionhistory.api.archive.ArchiveSearch;
import dev.sessionhistory.api.archive.ArchiveUsers;
import dev.sessionhistory.api.live.IndexPages;
import dev.sessionhistory.api.live.IndexPages.Positioned;
import dev.sessionhistory.api.live.LiveInstances;
import dev.sessionhistory.api.live.LiveInstances.Checked;
import dev.sessionhistory.api.live.LiveInstances.Scored;
import dev.sessionhistory.api.live.UserSessionIndex;
import dev.sessionhistory.api.paging.Cursor;
import dev.sessionhistory.api.paging.Page;
import dev.sessionhistory.api.paging.PageQuery;
import dev.sessionhistory.model.SessionMeta;

import org.springframework.stereotype.Service;

/**
 * The gallery's list of sessions: first those in Redis (live, then ended ones waiting for
 * their archive, as they come), then the archives, newest first by creation
 * ({@link ArchiveSearch}); one keyset-paged list over both, as {@code /me/sessions} is.
 * <p>
 * The Redis half is read from an index: the due index (its buckets merged, every instance, the
 * latest due first, which for live sessions is the most recently active), a user's index
 * for a user filter, or a code's live and pending instances for a code. Its entries are
 * checked and filtered in batches by {@link IndexPages}, which examines at most
 * {@value IndexPages#MOST_EXAMINED} per page, so a filter that few live sessions match gives
 * short pages (each with its Link) rather than one answer that reads all of Redis.
 */
@Service
class GallerySessions {

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
		List<Positioned<GallerySessionView>> items = new ArrayList<>();
		Cursor after = query.after();
		if (after == null || after.id() < 0) {
			if (filter.status().inRedis()) {
				Cursor stoppedAt = IndexPages.fill(source(filter), this.archiveUsers, after, wanted,
						(checked) -> matches(filter, checked), GallerySessions::view, items);
				if (items.size() == wanted) {
					return page(items, query);
				}
				if (stoppedAt != null) {
					return new Page<>(items.stream().map(Positioned::item).toList(), stoppedAt, query);
				}
			}
			after = null;
		}
		if (filter.status().archived()) {
			for (ArchiveSearch.Found found : this.search.find(criteria(filter), after, wanted - items.size())) {
				items.add(new Positioned<>(view(found), found.position()));
			}
		}
		return page(items, query);
	}

	/** How many archives match, up to {@link ArchiveSearch#COUNT_CAP}; {@code -1} when the filter excludes them. */
	int countArchived(SessionFilter filter) {
		return filter.status().archived() ? this.search.count(criteria(filter)) : -1;
	}

	private static Page<GallerySessionView> page(List<Positioned<GallerySessionView>> items, PageQuery query) {
		return query.page(items, Positioned::position).map(Positioned::item);
	}

	/** Where the Redis half comes from: a user's index, a code's instances, else the due index. */
	private IndexPages.Source source(SessionFilter filter) {
		if (filter.userId() != null) {
			return (max, skip, count) -> this.users.page(filter.userId(), max, skip, count);
		}
		if (filter.code() != null) {
			// a code's few instances in Redis, all checked at once and placed by creation
			return (max, skip, count) -> {
				List<IndexPages.Entry> all = new ArrayList<>();
				for (Checked checked : this.instances.check(this.instances.ofCode(filter.code()), null)) {
					if (checked.meta() != null) {
						all.add(new IndexPages.Entry(checked.meta().createdAt().toEpochMilli(), checked));
					}
				}
				all.sort(Comparator.comparingLong(IndexPages.Entry::score).reversed());
				List<IndexPages.Entry> below = all.stream().filter((entry) -> entry.score() <= max).toList();
				return below.subList((int) Math.min(skip, below.size()), below.size());
			};
		}
		return (max, skip, count) -> {
			List<Scored> scored = this.instances.byDue(max, skip, count);
			List<Checked> checked = this.instances.check(scored.stream().map(Scored::ref).toList(), null);
			List<IndexPages.Entry> entries = new ArrayList<>(scored.size());
			for (int i = 0; i < scored.size(); i++) {
				entries.add(new IndexPages.Entry(scored.get(i).score(), checked.get(i)));
			}
			return entries;
		};
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

}
