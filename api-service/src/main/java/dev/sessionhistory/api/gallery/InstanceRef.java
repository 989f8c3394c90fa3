package dev.sessionhistory.api.gallery;

import java.util.UUID;

import dev.sessionhistory.api.live.SessionIds;
import dev.sessionhistory.api.system.InvalidRequestException;
import dev.sessionhistory.model.RedisKeys;

/**
 * One session instance named by a gallery path, {@code …/{code}/{sessionId}}: both are
 * checked, and a code or id no session can have is a {@code 400} (the gallery names
 * instances it listed, so a malformed one is a mistake, not a probe).
 *
 * @param code the session's code
 * @param sessionId the instance
 */
record InstanceRef(String code, UUID sessionId) {

	/**
	 * @throws InvalidRequestException naming the malformed part
	 */
	static InstanceRef of(String code, String sessionId) {
		if (!RedisKeys.isValidCode(code)) {
			throw new InvalidRequestException("The code must match " + RedisKeys.CODE.pattern() + ", got '" + code + "'");
		}
		return new InstanceRef(code, SessionIds.parse(sessionId));
	}

}
