package dev.sessionhistory.api.system;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A request body over the configured limit: a 413.
 */
class PayloadTooLargeException extends ErrorResponseException {

	PayloadTooLargeException(long limit) {
		super(HttpStatus.CONTENT_TOO_LARGE, ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
				"The request body is larger than the limit of " + limit + " bytes"), null);
	}

}
