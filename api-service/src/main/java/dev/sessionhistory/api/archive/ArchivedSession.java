package dev.sessionhistory.api.archive;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The summary of one archived session instance, a row of {@code session_history} without
 * its messages.
 *
 * @param sessionId the instance id
 * @param createdAt when it was created
 * @param endedAt when it ended
 * @param messageCount how many messages it holds
 * @param endReason {@code ended} or {@code expired}
 * @param owner the owner's user id, or {@code null} for none
 */
public record ArchivedSession(UUID sessionId, Instant createdAt, Instant endedAt, int messageCount,
		String endReason, @Nullable String owner) {
}
