package dev.sessionhistory.api.message;

/**
 * The session holds as many messages as it may: a 422.
 */
public class SessionFullException extends RuntimeException {

	public SessionFullException(String code, int limit) {
		super("Session '" + code + "' has reached its limit of " + limit + " messages");
	}

}
