package dev.sessionhistory.api.user;

import java.time.Instant;
import java.util.UUID;

import dev.sessionhistory.model.MessageJson;

/**
 * One session instance of a user's list.
 *
 * @param code its code
 * @param sessionId the instance
 * @param role the user's part: {@code owner} or {@code participant}
 * @param status {@code live}, {@code ended} (waiting for its archive) or {@code archived}
 * @param createdAt when it was created (ISO-8601)
 * @param endedAt when it ended, {@code null} while live
 * @param messageCount how many messages it holds
 */
record UserSessionView(String code, UUID sessionId, String role, String status, String createdAt, String endedAt,
		long messageCount) {

	static final String LIVE = "live";

	static final String ENDED = "ended";

	static final String ARCHIVED = "archived";

	static String format(Instant instant) {
		return (instant != null) ? MessageJson.SENT_AT.format(instant) : null;
	}

}
