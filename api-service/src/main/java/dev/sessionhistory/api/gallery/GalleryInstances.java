package dev.sessionhistory.api.gallery;

import java.util.Optional;

import dev.sessionhistory.api.archive.ArchiveSearch;
import dev.sessionhistory.api.archive.ArchiveUsers;
import dev.sessionhistory.api.live.LiveInstances;
import dev.sessionhistory.api.live.LivePage;
import dev.sessionhistory.api.live.LivePages;
import dev.sessionhistory.api.live.SessionNotFoundException;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * One instance's page in the gallery, from where it is: Redis while it is live or waits
 * for its archive, then PostgreSQL, as the history is read ({@code HistoryReader}); when
 * Redis is unreachable an archive still answers.
 */
@Service
class GalleryInstances {

	private final LivePages pages;

	private final LiveInstances instances;

	private final ArchiveSearch archives;

	private final ArchiveUsers users;

	GalleryInstances(LivePages pages, LiveInstances instances, ArchiveSearch archives, ArchiveUsers users) {
		this.pages = pages;
		this.instances = instances;
		this.archives = archives;
		this.users = users;
	}

	/**
	 * @throws SessionNotFoundException when the code has no such instance
	 */
	GalleryInstanceView find(InstanceRef ref) {
		DataAccessException redisFailure = null;
		try {
			// the meta and the message count only: one round trip
			Optional<LivePage> page = this.pages.read(ref.code(), ref.sessionId(), "latest", 0, 0);
			if (page.isPresent()) {
				return GalleryInstanceView.of(page.get(), this.instances.participants(ref.code(), ref.sessionId()));
			}
		}
		catch (DataAccessException ex) {
			redisFailure = ex;
		}
		Optional<ArchiveSearch.Found> archive = this.archives.find(ref.code(), ref.sessionId());
		if (archive.isPresent()) {
			return GalleryInstanceView.of(archive.get(), this.users.participantsOf(ref.sessionId()));
		}
		if (redisFailure != null) {
			throw redisFailure;
		}
		throw SessionNotFoundException.of(ref.code(), ref.sessionId());
	}

}
