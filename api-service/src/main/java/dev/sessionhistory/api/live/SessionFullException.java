package dev.sessionhistory.api.live;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The session holds as many messages, as many bytes of them, or as many participants as it
 * may: a 422.
 */
public class SessionFullException extends ErrorResponseException {

	private SessionFullException(String detail) {
		super(HttpStatus.UNPROCESSABLE_CONTENT, ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, detail),
				null);
	}

	public static SessionFullException count(String code, int limit) {
		return new SessionFullException("Session '" + code + "' has reached its limit of " + limit + " messages");
	}

	public static SessionFullException bytes(String code, long limit) {
		return new SessionFullException("Session '" + code + "' has reached its limit of " + limit
				+ " bytes of stored messages (history.session.max-bytes)");
	}

	public static SessionFullException participants(String code, int limit) {
		return new SessionFullException("Session '" + code + "' has reached its limit of " + limit
				+ " participants (history.session.max-participants)");
	}

}
