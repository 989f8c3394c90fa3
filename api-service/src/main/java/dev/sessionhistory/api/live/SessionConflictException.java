package dev.sessionhistory.api.live;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The session's state forbids the request: its code is in use, or it has ended. A 409.
 */
public class SessionConflictException extends ErrorResponseException {

	public SessionConflictException(String detail) {
		super(HttpStatus.CONFLICT, ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail), null);
	}

}
