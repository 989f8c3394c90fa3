package dev.sessionhistory.api.session;

import java.util.UUID;

/**
 * The answer to {@code POST /sessions/{code}/end}; the archive follows within seconds.
 */
record EndedSession(String code, UUID sessionId, String status) {

	EndedSession(String code, UUID sessionId) {
		this(code, sessionId, "ended");
	}

}
