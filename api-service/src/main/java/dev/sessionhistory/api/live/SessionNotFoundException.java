package dev.sessionhistory.api.live;

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

}
