package dev.sessionhistory.api.message;

/**
 * The session holds as many messages, or as many bytes of them, as it may: a 422.
 */
public class SessionFullException extends RuntimeException {

	private SessionFullException(String message) {
		super(message);
	}

	static SessionFullException count(String code, int limit) {
		return new SessionFullException("Session '" + code + "' has reached its limit of " + limit + " messages");
	}

	static SessionFullException bytes(String code, long limit) {
		return new SessionFullException("Session '" + code + "' has reached its limit of " + limit
				+ " bytes of stored messages (history.session.max-bytes)");
	}

}
