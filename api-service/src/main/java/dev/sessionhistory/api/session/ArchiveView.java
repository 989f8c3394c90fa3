package dev.sessionhistory.api.session;

import java.util.UUID;

import dev.sessionhistory.api.archive.ArchivedSession;

/**
 * One entry of {@code GET /sessions/{code}/archives}.
 */
record ArchiveView(UUID sessionId, String createdAt, String endedAt, int messageCount, String endReason) {

	static ArchiveView of(ArchivedSession archive) {
		return new ArchiveView(archive.sessionId(), SessionView.format(archive.createdAt()),
				SessionView.format(archive.endedAt()), archive.messageCount(), archive.endReason());
	}

}
