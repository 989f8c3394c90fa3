package dev.sessionhistory.api.session;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;

import dev.sessionhistory.model.RedisKeys;

/**
 * Session codes: validation of the codes in paths, and generation of new ones.
 */
public final class SessionCodes {

	/** No 0/O, 1/I: codes are read aloud and typed by people. */
	static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

	static final int GENERATED_LENGTH = 6;

	private static final RandomGenerator RANDOM = new SecureRandom();

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

	static String generate() {
		StringBuilder code = new StringBuilder(GENERATED_LENGTH);
		for (int i = 0; i < GENERATED_LENGTH; i++) {
			code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
		}
		return code.toString();
	}

}
