package dev.sessionhistory.api.live;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * No session (live, ended or archived) matches: a 404.
 */
public class SessionNotFoundException extends ErrorResponseException {

	public SessionNotFoundException(String detail) {
		super(HttpStatus.NOT_FOUND, ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, detail), null);
	}

	public static SessionNotFoundException code(String code) {
		return new SessionNotFoundException("No session with code '" + code + "'");
	}

	/**
	 * The answer for one instance of a code, or for the code itself when no instance is
	 * named: what an unknown session and one the caller may not see both get.
	 * @param sessionId the instance asked for, or {@code null}
	 */
	public static SessionNotFoundException of(String code, UUID sessionId) {
		return (sessionId != null)
				? new SessionNotFoundException("No session '" + sessionId + "' with code '" + code + "'") : code(code);
	}

}
