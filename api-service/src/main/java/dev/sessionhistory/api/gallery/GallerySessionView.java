package dev.sessionhistory.api.gallery;

import java.time.Instant;
import java.util.UUID;

import dev.sessionhistory.model.MessageJson;
import org.jspecify.annotations.Nullable;

/**
 * One session instance of the gallery's list.
 *
 * @param code its code
 * @param sessionId the instance
 * @param status {@code live}, {@code ended} (waiting for its archive) or {@code archived}
 * @param owner its owner's user id, or {@code null}
 * @param createdAt when it was created (ISO-8601)
 * @param endedAt when it ended, {@code null} while live
 * @param endReason {@code ended} or {@code expired}, {@code null} while live
 * @param archivedAt when its archive was written, {@code null} before
 * @param messageCount how many messages it holds
 * @param messageBytes their stored bytes, {@code null} while in Redis
 */
record GallerySessionView(String code, UUID sessionId, String status, @Nullable String owner, String createdAt,
		@Nullable String endedAt, @Nullable String endReason, @Nullable String archivedAt, long messageCount,
		@Nullable Long messageBytes) {

	static final String LIVE = "live";

	static final String ENDED = "ended";

	static final String ARCHIVED = "archived";

	static String format(@Nullable Instant instant) {
		return (instant != null) ? MessageJson.SENT_AT.format(instant) : null;
	}

}
