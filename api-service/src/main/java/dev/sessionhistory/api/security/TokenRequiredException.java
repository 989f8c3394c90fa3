package dev.sessionhistory.api.security;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A call that the security filters let through without a token (creating a session) but
 * that needs a user's token for what it asks: a 401 with a bearer challenge, as the filters
 * answer.
 */
public class TokenRequiredException extends ErrorResponseException {

	public TokenRequiredException(String detail) {
		super(HttpStatus.UNAUTHORIZED, ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, detail), null);
		getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
	}

}
