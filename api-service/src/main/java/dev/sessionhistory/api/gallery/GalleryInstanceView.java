package dev.sessionhistory.api.gallery;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.sessionhistory.api.archive.ArchiveSearch;
import dev.sessionhistory.api.live.LivePage;
import dev.sessionhistory.api.security.Right;
import dev.sessionhistory.model.SessionMeta;
import org.jspecify.annotations.Nullable;

/**
 * One session instance's page in the gallery.
 *
 * @param code its code
 * @param sessionId the instance
 * @param status {@code live}, {@code ended} (waiting for its archive) or {@code archived}
 * @param owner its owner's user id, or {@code null}
 * @param createdAt when it was created (ISO-8601)
 * @param endedAt when it ended, {@code null} while live
 * @param endReason {@code ended} or {@code expired}, {@code null} while live
 * @param expiresAt while live, when Redis expires it unless another message comes
 * @param archivedAt when its archive was written, {@code null} before
 * @param archiveLagMillis how long after its end it was archived, {@code null} before
 * @param messageCount how many messages it holds
 * @param messageBytes their stored bytes, {@code null} when unknown (an instance created by
 * layout 1 of Redis, which did not count them)
 * @param participants its participants (the owner not among them), by user id
 */
record GalleryInstanceView(String code, UUID sessionId, String status, @Nullable String owner, String createdAt,
		@Nullable String endedAt, @Nullable String endReason, @Nullable String expiresAt, @Nullable String archivedAt,
		@Nullable Long archiveLagMillis, long messageCount, @Nullable Long messageBytes,
		List<Participant> participants) {

	/** An instance in Redis, from a page of it without messages. */
	static GalleryInstanceView of(LivePage page, Map<String, String> participants) {
		SessionMeta meta = page.meta();
		boolean live = page.live();
		return new GalleryInstanceView(meta.code(), meta.sessionId(),
				live ? GallerySessionView.LIVE : GallerySessionView.ENDED, meta.owner().orElse(null),
				GallerySessionView.format(meta.createdAt()),
				live ? null : GallerySessionView.format(meta.effectiveEndedAt()),
				live ? null : meta.effectiveEndReason(), live ? GallerySessionView.format(meta.expiresAt()) : null,
				null, null, page.total(), (meta.layout() >= 2) ? meta.bytes() : null, participants(participants));
	}

	static GalleryInstanceView of(ArchiveSearch.Found archive, Map<String, String> participants) {
		return new GalleryInstanceView(archive.code(), archive.sessionId(), GallerySessionView.ARCHIVED,
				archive.owner(), GallerySessionView.format(archive.createdAt()),
				GallerySessionView.format(archive.endedAt()), archive.endReason(), null,
				GallerySessionView.format(archive.archivedAt()),
				Duration.between(archive.endedAt(), archive.archivedAt()).toMillis(), archive.messageCount(),
				archive.messageBytes(), participants(participants));
	}

	private static List<Participant> participants(Map<String, String> stored) {
		return stored.entrySet()
			.stream()
			.map((entry) -> new Participant(entry.getKey(), Right.wire(Right.stored(entry.getValue()))))
			.sorted(Comparator.comparing(Participant::userId))
			.toList();
	}

	/**
	 * @param userId the participant's user id
	 * @param rights what they may do: some of {@code read}, {@code append}, {@code end}
	 * (none for rights a foreign writer stored that are none of those)
	 */
	record Participant(String userId, List<String> rights) {
	}

}
