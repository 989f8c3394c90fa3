package dev.sessionhistory.model;

/**
 * Data found in Redis that does not follow the layout, typically from a foreign writer.
 */
public class InvalidSessionDataException extends RuntimeException {

	public InvalidSessionDataException(String message, Throwable cause) {
		super(message, cause);
	}

}
