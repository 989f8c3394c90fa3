package dev.sessionhistory.api.audit;

import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The audit log could not record an admin's read: a {@code 503} with {@code Retry-After},
 * and nothing of the session served.
 */
class AuditUnavailableException extends ErrorResponseException {

	AuditUnavailableException(Duration retryAfter, Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The audit log (PostgreSQL) could not record this read, so nothing of the session was served; "
						+ "retry later"),
				cause);
		getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, retryAfter.toSeconds())));
	}

}
