package dev.sessionhistory.api.session;

import java.util.List;
import java.util.UUID;

/**
 * A session access token just minted, with what it grants and until when.
 *
 * @param code the session's code
 * @param sessionId the instance it is for
 * @param rights what it allows
 * @param expiresAt when it expires
 * @param accessToken the token, for {@code Authorization: Bearer}
 */
record TokenView(String code, UUID sessionId, List<String> rights, String expiresAt, String accessToken) {
}
