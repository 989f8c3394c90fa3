package dev.sessionhistory.api.live;

import dev.sessionhistory.model.RedisKeys;

/**
 * Session codes in paths: one that no session can have is refused as unknown, before it
 * reaches Redis or PostgreSQL.
 */
public final class SessionCodes {

	private SessionCodes() {
	}

	/**
	 * @return {@code code}
	 * @throws SessionNotFoundException for a code no session can have
	 */
	public static String requireValid(String code) {
		if (!RedisKeys.isValidCode(code)) {
			throw SessionNotFoundException.code(code);
		}
		return code;
	}

}
