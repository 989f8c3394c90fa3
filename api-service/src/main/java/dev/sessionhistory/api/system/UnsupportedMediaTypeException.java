package dev.sessionhistory.api.system;

/**
 * A request body that is not JSON: a 415.
 */
public class UnsupportedMediaTypeException extends RuntimeException {

	public UnsupportedMediaTypeException(String contentType) {
		super("The request body must be application/json, not " + ((contentType != null) ? contentType : "untyped"));
	}

}
