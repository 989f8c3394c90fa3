package dev.sessionhistory.api.system;

/**
 * A request the API cannot accept as it is: a 400.
 */
public class InvalidRequestException extends RuntimeException {

	public InvalidRequestException(String detail) {
		super(detail);
	}

}
