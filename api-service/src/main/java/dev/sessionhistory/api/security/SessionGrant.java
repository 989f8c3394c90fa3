package dev.sessionhistory.api.security;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * What a verified session access token grants: rights on one session instance, as long as
 * the instance's token epoch is not above the one the token was minted at.
 *
 * @param code the session's code
 * @param sessionId the one instance the token is for
 * @param rights what the holder may do with it
 * @param epoch the instance's token epoch when the token was minted; a revocation raises
 * the instance's epoch and so refuses every token minted before it
 * @param expiresAt the token's {@code exp}
 */
public record SessionGrant(String code, UUID sessionId, Set<Right> rights, long epoch, Instant expiresAt) {

	public SessionGrant {
		rights = Set.copyOf(rights);
	}

	/** Whether it grants {@code right} on that instance of that code, at that epoch. */
	public boolean grants(String code, UUID sessionId, Right right, long currentEpoch) {
		return this.code.equals(code) && this.sessionId.equals(sessionId) && this.rights.contains(right)
				&& this.epoch >= currentEpoch;
	}

}
