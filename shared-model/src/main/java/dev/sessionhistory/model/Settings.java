package dev.sessionhistory.model;

import java.time.Duration;

/**
 * Checks for the services' configuration records, so a bad setting stops start-up with a
 * message that names it instead of misbehaving later.
 */
public final class Settings {

	private Settings() {
	}

	/** @throws IllegalArgumentException naming the setting if {@code value} is null or below {@code min} */
	public static void atLeast(String name, Duration value, Duration min) {
		if (value == null || value.compareTo(min) < 0) {
			throw new IllegalArgumentException(
					name + " must be at least " + min.toMillis() + " ms but was " + describe(value));
		}
	}

	/** @throws IllegalArgumentException naming the setting if {@code value} is below {@code min} */
	public static void atLeast(String name, long value, long min) {
		if (value < min) {
			throw new IllegalArgumentException(name + " must be at least " + min + " but was " + value);
		}
	}

	/** @throws IllegalArgumentException naming the setting if {@code value} is above {@code max} */
	public static void atMost(String name, long value, long max) {
		if (value > max) {
			throw new IllegalArgumentException(name + " must be at most " + max + " but was " + value);
		}
	}

	/** @throws IllegalArgumentException naming the setting if it is not a valid key prefix */
	public static void keyPrefix(String name, String value) {
		try {
			RedisKeys.withPrefix(value);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(name + ": " + ex.getMessage());
		}
	}

	private static String describe(Duration value) {
		return (value != null) ? value.toMillis() + " ms" : "not set";
	}

}
