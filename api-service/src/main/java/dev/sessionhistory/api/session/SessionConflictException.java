package dev.sessionhistory.api.session;

/**
 * The session's state forbids the request: its code is in use, or it has ended. A 409.
 */
public class SessionConflictException extends RuntimeException {

	public SessionConflictException(String detail) {
		super(detail);
	}

}
