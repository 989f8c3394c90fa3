package dev.sessionhistory.api.session;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sessionhistory.api.archive.ArchivedSession;
import dev.sessionhistory.api.live.LivePage;
import dev.sessionhistory.model.MessageJson;
import dev.sessionhistory.model.SessionMeta;

/**
 * A session instance as {@code POST /sessions} and {@code GET /sessions/{code}} show it:
 * {@code expiresAt} while active, {@code endedAt} once ended; the creator alone gets
 * {@code accessToken}, the instance's session access token with every right.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SessionView(String code, UUID sessionId, String status, String createdAt, String expiresAt, String endedAt,
		long messageCount, String accessToken) {

	static SessionView of(LivePage page) {
		SessionMeta meta = page.meta();
		return page.live()
				? new SessionView(meta.code(), meta.sessionId(), SessionMeta.ACTIVE, format(meta.createdAt()),
						format(meta.expiresAt()), null, page.total(), null)
				: new SessionView(meta.code(), meta.sessionId(), SessionMeta.ENDED, format(meta.createdAt()), null,
						format(meta.effectiveEndedAt()), page.total(), null);
	}

	static SessionView of(String code, ArchivedSession archive) {
		return new SessionView(code, archive.sessionId(), SessionMeta.ENDED, format(archive.createdAt()), null,
				format(archive.endedAt()), archive.messageCount(), null);
	}

	static String format(Instant instant) {
		return MessageJson.SENT_AT.format(instant);
	}

}
