package dev.sessionhistory.api.session;

/**
 * No session (live, ended or archived) matches: a 404.
 */
public class SessionNotFoundException extends RuntimeException {

	public SessionNotFoundException(String detail) {
		super(detail);
	}

	public static SessionNotFoundException code(String code) {
		return new SessionNotFoundException("No session with code '" + code + "'");
	}

}
