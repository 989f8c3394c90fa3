package dev.sessionhistory.api.session;

import java.util.List;
import java.util.UUID;

/**
 * The calling user's part in a session instance, as a join answers it.
 *
 * @param code the session's code
 * @param sessionId the instance
 * @param role {@code owner} or {@code participant}
 * @param rights what the user may do with it: some of {@code read}, {@code append},
 * {@code end}
 */
record Participant(String code, UUID sessionId, String role, List<String> rights) {

	static final String OWNER = "owner";

	static final String PARTICIPANT = "participant";

}
