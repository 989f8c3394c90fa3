package dev.sessionhistory.api.system;

/**
 * A request body over the configured limit: a 413.
 */
public class PayloadTooLargeException extends RuntimeException {

	public PayloadTooLargeException(long limit) {
		super("The request body is larger than the limit of " + limit + " bytes");
	}

}
