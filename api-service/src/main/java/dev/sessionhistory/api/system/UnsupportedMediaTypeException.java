package dev.sessionhistory.api.system;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A request body that is not JSON: a 415.
 */
class UnsupportedMediaTypeException extends ErrorResponseException {

	UnsupportedMediaTypeException(String contentType) {
		super(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ProblemDetail.forStatusAndDetail(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
				"The request body must be application/json, not " + ((contentType != null) ? contentType : "untyped")),
				null);
	}

}
